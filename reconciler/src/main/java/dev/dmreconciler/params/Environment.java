package dev.dmreconciler.params;

import java.util.List;

/**
 * One environment: a parameter file (Ansible form) or an environment file naming several applications
 * and their instances (native form), fully resolved: defaults, shared files and overrides merged.
 *
 * @param name    file name without extension, e.g. "staging-parameters"
 * @param file    repository-relative path (or the path given on the command line)
 * @param cluster which cluster the environment targets; environments sharing a cluster share its CRDs
 * @param adopt   native-form {@code adopt: true}: objects that exist without the reconciler's marks are adopted
 *                instead of refused (for migrating an environment the playbooks deployed)
 * @param manifests native-form {@code manifests:}: repository paths (or {@code {file, namespace}}) of Kubernetes manifests (plain or sops-encrypted)
 *                  applied with the environment, in the environment scope, as the application {@value #MANIFESTS_APP}
 */
public record Environment(String name, String file, String cluster, Form form, List<AppInstance> apps, boolean adopt,
                          List<Manifest> manifests) {

    /** The application name under which an environment's manifests are applied and inventoried. */
    public static final String MANIFESTS_APP = "manifests";

    public Environment(String name, String file, String cluster, Form form, List<AppInstance> apps, boolean adopt) {
        this(name, file, cluster, form, apps, adopt, List.of());
    }

    public Environment(String name, String file, String cluster, Form form, List<AppInstance> apps) {
        this(name, file, cluster, form, apps, false);
    }

    public enum Form { NATIVE, ANSIBLE }

    /** A manifest file of the repository; {@code namespace} (optional) is given to its namespaced objects that set none. */
    public record Manifest(String path, String namespace) {
    }
}
