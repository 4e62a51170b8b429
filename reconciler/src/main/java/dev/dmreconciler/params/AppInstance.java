package dev.dmreconciler.params;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An application as one environment installs it.
 *
 * @param values                        environment-level values (defaults &lt; shared files &lt; environment)
 * @param namespaces                    the Data Manager namespaces, each with its fully merged values
 * @param explicitApplicationNamespaces namespaces the environment names explicitly (Ansible's jo_namespaces)
 */
public record AppInstance(Bundle bundle, boolean present, Map<String, Param> values, List<DmNamespace> namespaces,
                          Set<String> explicitApplicationNamespaces) {

    public String name() {
        return bundle.name();
    }

    /** A Data Manager namespace and the values its per-namespace templates are rendered with. */
    public record DmNamespace(String name, Map<String, Param> values) {
    }
}
