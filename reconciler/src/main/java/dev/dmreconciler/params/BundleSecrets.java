package dev.dmreconciler.params;

import java.util.List;

/**
 * A bundle's secret settings (bundle.yaml).
 *
 * @param envLookups names {@code lookup('env', NAME)} may read in this application's values (besides KUBECONFIG)
 * @param vaultFiles vars files loaded when their variable is set, as an Ansible role's {@code include_vars} does:
 *                   {@code {file: "sensitive-{svo_installation_name}.vault", when: svo_installation_name}}; looked
 *                   up next to the parameter file, then in the bundle's {@code vars/} folder
 * @param copies     {@code secretCopies:}: existing Secrets the application copies into the namespaces that need them
 */
public record BundleSecrets(List<String> envLookups, List<VarsFile> vaultFiles, List<SecretCopy> copies) {

    public static final BundleSecrets NONE = new BundleSecrets(List.of(), List.of(), List.of());

    public BundleSecrets(List<String> envLookups, List<VarsFile> vaultFiles) {
        this(envLookups, vaultFiles, List.of());
    }

    /** A vars file name pattern; {@code {var}} is replaced by the variable's value; skipped while {@code when} is empty. */
    public record VarsFile(String pattern, String when) {
    }
}
