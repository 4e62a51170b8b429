package dev.dmreconciler.cli;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.RenderFailures;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.render.SharedObjects;
import dev.dmreconciler.render.TemplateEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Loads and renders every environment of the repository and reports every problem at once. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Load and render every environment; report all problems at once (exit 1 on any error).")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    RepoOptions repoOptions;

    @Option(names = "--strict", description = "Treat warnings (unknown variables, ignored keys) as errors.")
    boolean strict;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Check against this policy file instead of the repository's policy/<cluster>.yaml.")
    java.nio.file.Path policy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ConfigRepo repo = repoOptions.open();
        Problems problems = new Problems();
        problems.addAll(repo.bundleProblems());
        problems.addAll(repo.allProblems());
        Renderer renderer = new Renderer(repo, new TemplateEngine(repo.tree()));
        List<DesiredState> rendered = new ArrayList<>();
        GuardOptions guard = new GuardOptions(policy, false, null);
        Problems renderProblems = new Problems();
        for (Environment environment : repo.all()) {
            try {
                DesiredState desired = renderer.render(environment, null);
                rendered.add(desired);
                GuardOptions.violations(guard.rulesFor(repo.tree(), desired), desired).forEach(v -> problems.add(v.toProblem()));
            } catch (InvalidInputException e) {
                renderProblems.addAll(e.problems());
            }
        }
        problems.addAll(RenderFailures.acrossEnvironments(renderProblems)); // a bundle's mistake once, not per environment
        problems.addAll(SharedObjects.check(rendered));
        int objects = rendered.stream().mapToInt(d -> d.objects().size()).sum();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        problems.all().forEach(p -> err.println(strict && !p.isError()
                ? Problem.error(p.where(), p.subject(), p.message() + " (--strict)") : p));
        int environments = repo.loader().names().size();
        long errors = problems.errorCount() + (strict ? problems.warningCount() : 0);
        long warnings = strict ? 0 : problems.warningCount();
        out.printf("%d environment(s), %d bundle(s), %d object(s) rendered: %d error(s), %d warning(s)%n",
                environments, repo.bundles().size(), objects, errors, warnings);
        return errors > 0 ? Main.INVALID_INPUT : Main.OK;
    }
}
