package dev.dmreconciler.cli;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.render.TemplateEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --env NAME (an environment of the repository) or --env-file FILE (a parameter file anywhere). */
final class EnvironmentChoice {

    @Option(names = "--env", paramLabel = "NAME", description = "Environment in the repository's environments/ folder (file name without .yaml).")
    String name;

    @Option(names = "--env-file", paramLabel = "FILE", description = "A parameter file anywhere, e.g. one written for the Ansible playbooks.")
    Path file;

    /**
     * Loads and renders the chosen environment (all its applications, or only {@code app}); warnings are
     * printed, errors thrown. Absent applications are noted.
     */
    DesiredState render(ConfigRepo repo, String app, PrintWriter err) throws IOException {
        Problems problems = new Problems();
        problems.addAll(repo.bundleProblems());
        Environment environment = load(repo, app, problems);
        Main.printWarnings(problems.all(), err);
        problems.throwIfErrors();
        if (app != null && environment.apps().stream().noneMatch(a -> a.name().equals(app))) {
            throw InvalidInputException.of(environment.file(), app, "the environment does not install this application");
        }
        DesiredState desired = new Renderer(repo, new TemplateEngine(repo.tree())).render(environment, app);
        desired.absentApplications().forEach(a -> err.println("note: " + a + " is marked absent in "
                + environment.name() + ": nothing is desired, apply removes what it owns"));
        return desired;
    }

    /**
     * What the other environments of the repository on the rendered environment's cluster want now (rendered at
     * the same revision), so a pass never prunes an object that moved to one of them.
     */
    static Wanted wantedElsewhere(ConfigRepo repo, DesiredState desired) {
        return Wanted.elsewhere(repo, desired.environment());
    }

    /** Loads the chosen environment; problems are collected, and null is returned when it has errors. */
    Environment load(ConfigRepo repo, String appHint, Problems problems) throws IOException {
        if (name != null) {
            return repo.loader().load(name, appHint, problems);
        }
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.of(file.toString(), null, "no such parameter file");
        }
        String fileName = file.getFileName().toString();
        String environmentName = fileName.replaceFirst("\\.(ya?ml|json)$", "");
        return repo.loader().parse(environmentName, file.toString(), Files.readAllBytes(file), appHint, problems);
    }
}
