package dev.dmreconciler.params;

import java.util.List;
import java.util.Map;

/**
 * An application bundle, declared by {@code templates/<name>/bundle.yaml}: its variables and templates.
 *
 * @param prefix                        variable prefix ("jo_") by which an Ansible parameter file is recognised
 * @param namespaceVariable             variable holding the Data Manager namespace ("jo_dmapi_namespace")
 * @param applicationNamespacesVariable optional colon-separated list that adds to the CRD's namespaces ("jo_namespaces")
 * @param stateVariable                 variable saying present/absent ("jo_state")
 * @param sentinel                      placeholder meaning "not set" ("SetMe")
 * @param namespacePreconditions        objects that must exist in a Data Manager namespace before anything is
 *                                      applied there (the Data Manager's own ServiceAccount)
 * @param secrets                       the bundle's secret settings: env lookups it allows, vault files it loads
 */
public record Bundle(String name, String file, String description, String prefix, String namespaceVariable,
                     String applicationNamespacesVariable, String stateVariable, String sentinel,
                     List<TemplateRef> templates, Map<String, Variable> variables,
                     List<Precondition> namespacePreconditions, BundleSecrets secrets) {

    public Bundle(String name, String file, String description, String prefix, String namespaceVariable,
                  String applicationNamespacesVariable, String stateVariable, String sentinel,
                  List<TemplateRef> templates, Map<String, Variable> variables, List<Precondition> namespacePreconditions) {
        this(name, file, description, prefix, namespaceVariable, applicationNamespacesVariable, stateVariable, sentinel,
                templates, variables, namespacePreconditions, BundleSecrets.NONE);
    }

    /** An object that must already exist: {@code apiVersion}, {@code kind}, {@code name}. */
    public record Precondition(String apiVersion, String kind, String name) {
    }

    public boolean ownsKey(String key) {
        return key.startsWith(prefix);
    }
}
