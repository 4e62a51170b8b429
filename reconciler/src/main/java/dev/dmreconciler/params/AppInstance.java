package dev.dmreconciler.params;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An application as one environment installs it: environment-level values and its named instances.
 *
 * @param values                        environment-level values (defaults &lt; shared files &lt; environment)
 * @param instances                     the instances, each with its namespace and fully merged values
 * @param explicitApplicationNamespaces namespaces the environment names explicitly (Ansible's jo_namespaces)
 * @param declared                      what the environment adds to the bundle's own declarations (native form:
 *                                      the application's {@code preconditions:} and {@code secretCopies:})
 */
public record AppInstance(Bundle bundle, boolean present, Map<String, Param> values, List<Instance> instances,
                          Set<String> explicitApplicationNamespaces, Declared declared) {

    public AppInstance(Bundle bundle, boolean present, Map<String, Param> values, List<Instance> instances,
                       Set<String> explicitApplicationNamespaces) {
        this(bundle, present, values, instances, explicitApplicationNamespaces, Declared.NONE);
    }

    /** Preconditions and secret copies an environment declares for one of its applications. */
    public record Declared(List<Bundle.Requirement> preconditions, List<SecretCopy> secretCopies) {
        public static final Declared NONE = new Declared(List.of(), List.of());
    }

    /** The bundle's preconditions, then the environment's. */
    public List<Bundle.Requirement> preconditions() {
        return java.util.stream.Stream.concat(bundle.preconditions().stream(), declared.preconditions().stream()).toList();
    }

    /** The bundle's secret copies, then the environment's. */
    public List<SecretCopy> secretCopies() {
        return java.util.stream.Stream.concat(bundle.secrets().copies().stream(), declared.secretCopies().stream()).toList();
    }

    public String name() {
        return bundle.name();
    }

    /** The distinct namespaces of the instances, sorted. */
    public Set<String> instanceNamespaces() {
        Set<String> namespaces = new TreeSet<>();
        instances.forEach(i -> namespaces.add(i.namespace()));
        return namespaces;
    }
}
