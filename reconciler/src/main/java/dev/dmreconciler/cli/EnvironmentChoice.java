package dev.dmreconciler.cli;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --env NAME (an environment of the repository) or --env-file FILE (a parameter file anywhere). */
final class EnvironmentChoice {

    @Option(names = "--env", paramLabel = "NAME", description = "Environment in the repository's environments/ folder (file name without .yaml).")
    String name;

    @Option(names = "--env-file", paramLabel = "FILE", description = "A parameter file anywhere, e.g. one written for the Ansible playbooks.")
    Path file;

    /** Loads the chosen environment; problems are collected, and null is returned when it has errors. */
    Environment load(ConfigRepo repo, String appHint, Problems problems) throws IOException {
        if (name != null) {
            return repo.loader().load(name, appHint, problems);
        }
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.of(file.toString(), null, "no such parameter file");
        }
        String fileName = file.getFileName().toString();
        String environmentName = fileName.replaceFirst("\\.ya?ml$", "");
        return repo.loader().parse(environmentName, file.toString(), Files.readAllBytes(file), appHint, problems);
    }
}
