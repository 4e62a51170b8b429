package dev.dmreconciler.cli;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.source.DirectoryTree;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --repo option shared by every command. */
final class RepoOptions {

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "Configuration repository (templates/, crds/, rbac/, environments/). Default: current directory.")
    Path repo;

    ConfigRepo open() {
        return new ConfigRepo(new DirectoryTree(repo), System::getenv);
    }
}
