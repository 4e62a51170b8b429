package dev.dmreconciler.params;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An application bundle, declared by {@code templates/<name>/bundle.yaml}: its variables and templates.
 *
 * @param prefix                         variable prefix ("jo_") by which an Ansible parameter file is recognised;
 *                                       "" means the bundle is only ever chosen explicitly (--app, instanceDir)
 * @param namespaceVariable              variable holding an instance's namespace ("jo_dmapi_namespace"), or null
 * @param applicationNamespacesVariable  optional list that adds to the CRD's namespaces ("jo_namespaces")
 * @param applicationNamespacesSeparator regular expression separating its items on input
 *                                       (default "[:,]": colons, or commas as some real files write them)
 * @param stateVariable                  variable saying present/absent ("jo_state"), or null (always present unless
 *                                       the native form says {@code state: absent})
 * @param instanceNameVariable           variable holding an instance's name ("chart_name"), or null
 * @param sentinel                       placeholder meaning "not set" ("SetMe")
 * @param namespacePreconditions         objects that must exist in each instance namespace before anything is
 *                                       applied there (the Data Manager's own ServiceAccount); the older form of
 *                                       {@code preconditions} with scope instance
 * @param preconditions                  objects that must exist before the application (environment scope) or an
 *                                       instance (instance scope) is applied; names are templates
 * @param environmentScopeName           how output names the environment scope ("operator")
 * @param instanceScopeName              how output names an instance scope ("Data Manager namespace")
 * @param secrets                        the bundle's secret settings: env lookups it allows, vault files it loads
 */
public record Bundle(String name, String file, String description, String prefix, String namespaceVariable,
                     String applicationNamespacesVariable, String applicationNamespacesSeparator, String stateVariable,
                     String instanceNameVariable, String sentinel, List<TemplateRef> templates,
                     Map<String, Variable> variables, List<Precondition> namespacePreconditions,
                     List<Requirement> preconditions, String environmentScopeName, String instanceScopeName,
                     BundleSecrets secrets) {

    /** A bundle without instances' extras (names, preconditions, scope names): the older shape. */
    public Bundle(String name, String file, String description, String prefix, String namespaceVariable,
                  String applicationNamespacesVariable, String stateVariable, String sentinel,
                  List<TemplateRef> templates, Map<String, Variable> variables, List<Precondition> namespacePreconditions) {
        this(name, file, description, prefix, namespaceVariable, applicationNamespacesVariable, "[:,]", stateVariable,
                null, sentinel, templates, variables, namespacePreconditions, List.of(), "environment", "instance",
                BundleSecrets.NONE);
    }

    /** An object that must already exist in each instance namespace: {@code apiVersion}, {@code kind}, {@code name}. */
    public record Precondition(String apiVersion, String kind, String name) {
    }

    /**
     * A declared precondition: {@code name} and {@code namespace} are FreeMarker templates over the values
     * (environment values for scope environment, the instance's values for scope instance). An empty namespace
     * means a cluster-scoped kind, or, in instance scope, the instance's namespace.
     *
     * @param namesExpression      instead of {@code name}: a FreeMarker expression giving a list of names (or one
     *                             name; empty means none), e.g. {@code user_secret} or
     *                             {@code existing_persistent_volume?map(v -> v.name)}; null when {@code name} is used
     * @param namespacesExpression instead of {@code namespace}: an expression giving a list of namespaces; every
     *                             name must exist in every one of them; null when {@code namespace} is used
     */
    public record Requirement(String apiVersion, String kind, String name, String namespace, boolean instanceScope,
                              String where, String namesExpression, String namespacesExpression) {

        public Requirement(String apiVersion, String kind, String name, String namespace, boolean instanceScope,
                           String where) {
            this(apiVersion, kind, name, namespace, instanceScope, where, null, null);
        }
    }

    public boolean ownsKey(String key) {
        return key.startsWith(prefix);
    }

    /** Splits a list-valued variable (application namespaces) written with the bundle's separator. */
    public List<String> splitList(String text) {
        return Pattern.compile(applicationNamespacesSeparator).splitAsStream(text).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}
