package dev.dmreconciler.apply;

import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a Namespace holds besides the reconciler's inventory objects, read right before deleting it: deleting a
 * Namespace deletes everything in it (a person's ConfigMap, a user's notebook or SingleUserInstance), so one
 * such object keeps it. Every served namespaced kind that can be listed is read (one LIST each, only when a
 * Namespace is about to be deleted). Not counted: objects owned by another object (pods of a ReplicaSet, which
 * is counted itself), Events, Endpoints and EndpointSlices (derived), and what the system puts into every
 * namespace (the {@code default} ServiceAccount and its token Secret, the {@code kube-root-ca.crt} ConfigMap).
 */
public final class NamespaceContents {

    private static final Set<String> DERIVED_KINDS = Set.of("Event", "Endpoints", "EndpointSlice");
    private static final int SHOWN = 5;

    private final KubernetesClient client;

    NamespaceContents(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Why a planned deletion of this object would be kept (a Namespace holding objects outside the inventory), as
     * {@code apply} reports it, or null: the prune step and the live diff say the same thing.
     */
    public static String keptBecause(KubernetesClient client, ObjectKey key, Set<ObjectKey> inventoried) {
        if (!key.kind().equals("Namespace") || !key.group().isEmpty()) {
            return null;
        }
        String blockers = new NamespaceContents(client).blockers(key.name(), inventoried);
        return blockers == null ? null : "not deleted: holds objects outside the inventory: " + blockers;
    }

    /** "ConfigMap team-data/notes, Widget.example.com team-data/w1 (and 3 more)", or null when nothing blocks. */
    String blockers(String namespace, Set<ObjectKey> inventoried) {
        List<String> found = new ArrayList<>();
        for (ResourceDefinitionContext type : namespacedTypes()) {
            List<GenericKubernetesResource> items;
            try {
                items = client.genericKubernetesResources(type).inNamespace(namespace).list().getItems();
            } catch (KubernetesClientException e) {
                found.add("cannot list " + type.getPlural() + " (" + e.getCode() + ")"); // unknown: keep it
                continue;
            }
            for (GenericKubernetesResource item : items) {
                ObjectKey key = new ObjectKey(type.getGroup(), type.getKind(), namespace, item.getMetadata().getName());
                if (!inventoried.contains(key) && !systemMade(type.getKind(), item)) {
                    found.add(key.toString());
                }
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        String shown = String.join(", ", found.subList(0, Math.min(SHOWN, found.size())));
        return found.size() > SHOWN ? shown + " (and " + (found.size() - SHOWN) + " more)" : shown;
    }

    private static boolean systemMade(String kind, GenericKubernetesResource item) {
        var metadata = item.getMetadata();
        if (metadata.getOwnerReferences() != null && !metadata.getOwnerReferences().isEmpty()) {
            return true;
        }
        String name = metadata.getName();
        return switch (kind) {
            case "ServiceAccount" -> name.equals("default");
            case "ConfigMap" -> name.equals("kube-root-ca.crt");
            case "Secret" -> "kubernetes.io/service-account-token".equals(item.getAdditionalProperties().get("type"))
                    && name.startsWith("default-token-");
            default -> false;
        };
    }

    /** Every namespaced kind served at its group's preferred version that can be listed (discovery). */
    private List<ResourceDefinitionContext> namespacedTypes() {
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        for (APIGroup group : client.getApiGroups().getGroups()) {
            groupVersions.add(group.getPreferredVersion().getGroupVersion());
        }
        List<ResourceDefinitionContext> types = new ArrayList<>();
        for (String groupVersion : groupVersions) {
            APIResourceList resources = client.getApiResources(groupVersion);
            if (resources == null) {
                continue;
            }
            int slash = groupVersion.indexOf('/');
            for (APIResource resource : resources.getResources()) {
                if (Boolean.TRUE.equals(resource.getNamespaced()) && !resource.getName().contains("/")
                        && resource.getVerbs() != null && resource.getVerbs().contains("list")
                        && !DERIVED_KINDS.contains(resource.getKind())) {
                    types.add(new ResourceDefinitionContext.Builder()
                            .withGroup(slash < 0 ? "" : groupVersion.substring(0, slash))
                            .withVersion(slash < 0 ? groupVersion : groupVersion.substring(slash + 1))
                            .withKind(resource.getKind()).withPlural(resource.getName()).withNamespaced(true).build());
                }
            }
        }
        return types;
    }
}
