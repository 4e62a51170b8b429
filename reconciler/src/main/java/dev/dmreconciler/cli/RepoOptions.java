package dev.dmreconciler.cli;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.source.DirectoryTree;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --repo option shared by every command, and the keys for the secrets in it. */
final class RepoOptions {

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "Configuration repository (templates/, crds/, rbac/, environments/). Default: current directory.")
    Path repo;

    @Option(names = "--vault-password-file", paramLabel = "FILE",
            description = "Ansible Vault password (vault files, inline !vault values). Default: $ANSIBLE_VAULT_PASSWORD_FILE.")
    Path vaultPasswordFile;

    @Option(names = "--sops-age-key-file", paramLabel = "FILE",
            description = "age identities for sops files. Default: $SOPS_AGE_KEY_FILE (or $SOPS_AGE_KEY).")
    Path sopsAgeKeyFile;

    /** Installs the keys for this process (parameter files are parsed in many places; all use them). */
    void installKeys() {
        SecretKeys.install(SecretKeys.of(vaultPasswordFile, sopsAgeKeyFile, System.getenv()));
    }

    ConfigRepo open() {
        installKeys();
        return new ConfigRepo(new DirectoryTree(repo), System::getenv);
    }
}
