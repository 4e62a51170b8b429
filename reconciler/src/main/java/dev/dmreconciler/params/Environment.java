package dev.dmreconciler.params;

import java.util.List;

/**
 * One environment: a parameter file (Ansible form) or an environment file naming several applications
 * and Data Manager namespaces (native form), fully resolved: defaults, shared files and overrides merged.
 *
 * @param name    file name without extension, e.g. "staging-parameters"
 * @param file    repository-relative path (or the path given on the command line)
 * @param cluster which cluster the environment targets; environments sharing a cluster share its CRDs
 * @param adopt   native-form {@code adopt: true}: objects that exist without the reconciler's marks are adopted
 *                instead of refused (for migrating an environment the playbooks deployed)
 */
public record Environment(String name, String file, String cluster, Form form, List<AppInstance> apps, boolean adopt) {

    public Environment(String name, String file, String cluster, Form form, List<AppInstance> apps) {
        this(name, file, cluster, form, apps, false);
    }

    public enum Form { NATIVE, ANSIBLE }
}
