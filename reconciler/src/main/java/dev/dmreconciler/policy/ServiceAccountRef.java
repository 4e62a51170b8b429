package dev.dmreconciler.policy;

import java.util.regex.Pattern;

/** A ServiceAccount to impersonate: {@code system:serviceaccount:<namespace>:<name>}. */
public record ServiceAccountRef(String namespace, String name) {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public ServiceAccountRef {
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("service account namespace '" + namespace + "' is not a namespace name");
        }
        if (name == null || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("service account name '" + name + "' is not a valid name");
        }
    }

    /** "namespace/name" or "namespace:name" (the form of {@code --default-service-account}). */
    public static ServiceAccountRef parse(String text) {
        String[] parts = text.split("[/:]", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not NAMESPACE/NAME");
        }
        return new ServiceAccountRef(parts[0], parts[1]);
    }

    public String username() {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
