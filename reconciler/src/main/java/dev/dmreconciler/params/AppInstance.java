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
 */
public record AppInstance(Bundle bundle, boolean present, Map<String, Param> values, List<Instance> instances,
                          Set<String> explicitApplicationNamespaces) {

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
