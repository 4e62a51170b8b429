package dev.dmreconciler.params;

import java.util.List;

/**
 * A template file of a bundle and how often it is rendered.
 *
 * @param namespaces namespaces outside the application's own where its objects may live ({@code namespaces:
 *                   [ingress-nginx]}); anywhere else is an error naming template and object
 * @param lifecycle  default {@code dm-reconciler.dev/lifecycle} annotation of its objects (recreate, create-once,
 *                   keep; comma-separated), or null
 */
public record TemplateRef(String path, Scope scope, List<String> namespaces, String lifecycle) {

    public TemplateRef(String path, Scope scope) {
        this(path, scope, List.of(), null);
    }

    public enum Scope {
        /** Once per environment: the operator itself (CRD, its namespace, cluster RBAC, Deployment). */
        ENVIRONMENT,
        /** Once per instance of the application (for Jupyter: per Data Manager namespace). */
        INSTANCE
    }
}
