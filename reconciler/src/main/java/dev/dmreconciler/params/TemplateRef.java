package dev.dmreconciler.params;

/** A template file of a bundle and how often it is rendered. */
public record TemplateRef(String path, Scope scope) {

    public enum Scope {
        /** Once per environment: the operator itself (CRD, its namespace, cluster RBAC, Deployment). */
        ENVIRONMENT,
        /** Once per Data Manager namespace the environment installs the application into. */
        NAMESPACE
    }
}
