package dev.dmreconciler.params;

import dev.dmreconciler.secrets.SecretValues;
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
 * @param secrets   the secret values this environment itself read (vault, sops, {@code secret: true}, env lookups; its
 *                  sops manifests once rendered): what decides whether one of its objects holds a secret — never
 *                  another environment's values, which the process-wide redactor also holds in {@code run}
 */
public record Environment(String name, String file, String cluster, Form form, List<AppInstance> apps, boolean adopt,
                          List<Manifest> manifests, SecretValues secrets) {

    public Environment {
        secrets = secrets == null ? SecretValues.NONE : secrets;
    }

    public Environment(String name, String file, String cluster, Form form, List<AppInstance> apps, boolean adopt,
                       List<Manifest> manifests) {
        this(name, file, cluster, form, apps, adopt, manifests, SecretValues.NONE);
    }

    /** The application name under which an environment's manifests are applied and inventoried. */
    public static final String MANIFESTS_APP = "manifests";

    public Environment(String name, String file, String cluster, Form form, List<AppInstance> apps, boolean adopt) {
        this(name, file, cluster, form, apps, adopt, List.of());
    }

    public Environment(String name, String file, String cluster, Form form, List<AppInstance> apps) {
        this(name, file, cluster, form, apps, false);
    }

    /** The same environment with these secret values. */
    public Environment withSecrets(SecretValues values) {
        return values.equals(secrets) ? this : new Environment(name, file, cluster, form, apps, adopt, manifests, values);
    }

    public enum Form { NATIVE, ANSIBLE }

    /** A manifest file of the repository; {@code namespace} (optional) is given to its namespaced objects that set none. */
    public record Manifest(String path, String namespace) {
    }
}
