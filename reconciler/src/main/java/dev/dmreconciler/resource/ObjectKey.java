package dev.dmreconciler.resource;

import java.util.Comparator;
import java.util.Map;

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

    /** kubectl-style reference, e.g. {@code Role data-manager-api/data-manager-jupyter-operator}. */
    @Override
    public String toString() {
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        return qualifiedKind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
