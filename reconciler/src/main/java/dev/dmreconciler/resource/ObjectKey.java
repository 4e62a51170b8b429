package dev.dmreconciler.resource;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * Identity of a Kubernetes object: API group, kind, namespace (empty for cluster-scoped) and name.
 * The version is deliberately not part of the identity: the same object served at two versions is one object.
 */
public record ObjectKey(String group, String kind, String namespace, String name) implements Comparable<ObjectKey> {

    private static final Comparator<ObjectKey> ORDER = Comparator
            .comparingInt((ObjectKey k) -> KindOrder.rank(k.group, k.kind))
            .thenComparing(ObjectKey::kind)
            .thenComparing(ObjectKey::group)
            .thenComparing(ObjectKey::namespace)
            .thenComparing(ObjectKey::name);

    public ObjectKey {
        namespace = namespace == null ? "" : namespace;
    }

    /** Reads the identity of an object given as a YAML/JSON map; fields are assumed validated. */
    @SuppressWarnings("unchecked")
    public static ObjectKey of(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
        Object namespace = metadata.get("namespace");
        return new ObjectKey(groupOf(apiVersion), String.valueOf(object.get("kind")),
                namespace == null ? "" : namespace.toString(), String.valueOf(metadata.get("name")));
    }

    public static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public boolean clusterScoped() {
        return namespace.isEmpty();
    }

    @Override
    public int compareTo(ObjectKey other) {
        if (kind.equals(other.kind) && group.equals(other.group)) { // one kind, one rank: most comparisons of a sort
            int byNamespace = namespace.compareTo(other.namespace);
            return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
        }
        return ORDER.compare(this, other);
    }

    /**
     * Written out (the record's generated equals and hashCode link a method-handle chain on first use, ≈ 5 ms of a
     * cold render, and run slower than plain code before the JIT compiles them). The same hash as the generated
     * one ({@code h = 31 * h + component hash}, from 0), so hash-ordered collections keep their order.
     */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof ObjectKey key && Objects.equals(name, key.name)
                && namespace.equals(key.namespace) && Objects.equals(kind, key.kind) && Objects.equals(group, key.group);
    }

    @Override
    public int hashCode() {
        return ((Objects.hashCode(group) * 31 + Objects.hashCode(kind)) * 31 + namespace.hashCode()) * 31
                + Objects.hashCode(name);
    }

    /** kubectl-style reference, e.g. {@code Role data-manager-api/data-manager-jupyter-operator}. */
    @Override
    public String toString() {
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        return qualifiedKind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
