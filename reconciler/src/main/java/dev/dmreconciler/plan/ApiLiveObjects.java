package dev.dmreconciler.plan;

import dev.dmreconciler.kube.RawApi;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link LiveObjects} read from the API server on every call, <b>metadata only</b>: the request asks for
 * {@code PartialObjectMetadata} ({@code Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1}),
 * so the server sends no {@code spec}, {@code data} or {@code status}. Measured at 300 namespaces (906 objects):
 * the no-op pass's LISTs are a fraction of the bytes the full bodies were (see BENCHMARKS.md). A server or an
 * aggregated API that cannot answer in that form answers with the full object (plain JSON is the fallback in
 * the Accept header); the planner reads only the metadata either way.
 *
 * <p>Requests go through the client's own HTTP client, so they are counted ({@code RequestCounter}), retried,
 * bounded by the client's timeouts, and carry the client's impersonation (the request config travels as a tag
 * of the derived HTTP client).
 */
final class ApiLiveObjects implements LiveObjects {

    static final String ACCEPT_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    static final String ACCEPT_ONE = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    /** Names of one type read by GET each; more are found with one (paged) LIST of the type. */
    static final int GETS_BEFORE_LIST = 16;
    static final int PAGE = 500;
    /** Objects a LIST may return per name asked before GETs are cheaper (an estimate, see {@link #existing}). */
    static final int OBJECTS_PER_GET = 50;

    private final KubernetesClient client;
    private final RawApi raw;
    private final int page;
    private final int objectsPerGet;

    ApiLiveObjects(KubernetesClient client) {
        this(client, PAGE, OBJECTS_PER_GET);
    }

    /**
     * @param page          objects per LIST page when many names are looked up (small in tests, to exercise paging)
     * @param objectsPerGet see {@link #OBJECTS_PER_GET}
     */
    ApiLiveObjects(KubernetesClient client, int page, int objectsPerGet) {
        this.client = client;
        this.raw = new RawApi(client);
        this.page = page;
        this.objectsPerGet = objectsPerGet;
    }

    @Override
    public List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application) {
        String selector = Stamp.MANAGED_BY + "=" + Stamp.MANAGER + "," + Stamp.APPLICATION + "=" + application;
        String body = send(path(type, null, null) + "?labelSelector=" + encode(selector), ACCEPT_LIST, false);
        GenericKubernetesResourceList list = client.getKubernetesSerialization()
                .unmarshal(body, GenericKubernetesResourceList.class);
        List<GenericKubernetesResource> items = list.getItems() == null ? List.of() : list.getItems();
        items.forEach(item -> typed(item, type));
        return items;
    }

    @Override
    public GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key) {
        String body = send(path(type, key.namespace(), key.name()), ACCEPT_ONE, true);
        return body == null ? null
                : typed(client.getKubernetesSerialization().unmarshal(body, GenericKubernetesResource.class), type);
    }

    /**
     * Up to {@link #GETS_BEFORE_LIST} names: a GET each. More (a cold apply: every object is created): one LIST of
     * the type, in the one namespace they share or in all, in pages of {@link #PAGE} (metadata only: a page of
     * 500 ConfigMaps is ≈ 0.5 MB), keeping only the names asked for. One LIST costs the API server far less than
     * hundreds of GETs (each is authenticated, authorised and answered on its own) — unless the type holds far
     * more objects than are asked for (20 ConfigMaps to create in a cluster of 50,000): once the pages read hold
     * {@link #OBJECTS_PER_GET} objects per name asked (or {@code remainingItemCount}, where the server sends it,
     * says they will), the names not found yet are read by GETs instead; {@link #OBJECTS_PER_GET} estimates what
     * one request costs the server in objects listed. The LIST stops as soon as every name was found.
     */
    @Override
    public Map<ObjectKey, GenericKubernetesResource> existing(ResourceDefinitionContext type, Collection<ObjectKey> keys) {
        if (keys.size() <= GETS_BEFORE_LIST) {
            return LiveObjects.super.existing(type, keys);
        }
        Map<String, ObjectKey> wanted = new HashMap<>();
        Set<String> namespaces = new HashSet<>();
        for (ObjectKey key : keys) {
            wanted.put(key.namespace() + "/" + key.name(), key);
            namespaces.add(key.namespace());
        }
        String namespace = type.isNamespaceScoped() && namespaces.size() == 1 ? namespaces.iterator().next() : null;
        Map<ObjectKey, GenericKubernetesResource> found = new HashMap<>();
        String next = null;
        long seen = 0;
        long enough = (long) keys.size() * objectsPerGet; // objects listed that would have paid for a GET per name
        do {
            String query = "?limit=" + page + (next == null ? "" : "&continue=" + encode(next));
            GenericKubernetesResourceList list = client.getKubernetesSerialization()
                    .unmarshal(send(path(type, namespace, null) + query, ACCEPT_LIST, false), GenericKubernetesResourceList.class);
            List<GenericKubernetesResource> items = list.getItems() == null ? List.of() : list.getItems();
            for (GenericKubernetesResource item : items) {
                String namespaceOf = item.getMetadata().getNamespace() == null ? "" : item.getMetadata().getNamespace();
                ObjectKey key = wanted.remove(namespaceOf + "/" + item.getMetadata().getName());
                if (key != null) {
                    found.put(key, typed(item, type));
                }
            }
            seen += items.size();
            next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
            Long remaining = list.getMetadata() == null ? null : list.getMetadata().getRemainingItemCount();
            if (next != null && !next.isEmpty() && !wanted.isEmpty()
                    && (seen >= enough || remaining != null && seen + remaining > enough)) {
                found.putAll(LiveObjects.super.existing(type, wanted.values())); // the names not listed yet
                return found;
            }
        } while (next != null && !next.isEmpty() && !wanted.isEmpty());
        return found;
    }

    /** A partial object says {@code kind: PartialObjectMetadata}; the planner's readers expect the object's own. */
    private static GenericKubernetesResource typed(GenericKubernetesResource item, ResourceDefinitionContext type) {
        item.setApiVersion(type.getGroup() == null || type.getGroup().isEmpty() ? type.getVersion()
                : type.getGroup() + "/" + type.getVersion());
        item.setKind(type.getKind());
        return item;
    }

    private String send(String path, String accept, boolean absentIsNull) {
        byte[] body = raw.get(path, accept, absentIsNull);
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    static String path(ResourceDefinitionContext type, String namespace, String name) {
        return RawApi.path(type, namespace, name);
    }

    private static String encode(String value) {
        return RawApi.encode(value);
    }
}
