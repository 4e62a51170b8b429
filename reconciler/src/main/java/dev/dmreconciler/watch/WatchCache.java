package dev.dmreconciler.watch;

import dev.dmreconciler.plan.LiveObjects;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reconciler's objects as the API server last told them, one informer per type: every object of the type that
 * carries {@code app.kubernetes.io/managed-by: dm-reconciler}, in every namespace, kept as metadata only
 * ({@link MetadataStore}). An informer starts the first time a pass reads its type (that pass still reads the API
 * server) and runs until {@link #close}; it lists once, then follows a watch, and relists by itself after a
 * {@code 410 Gone} or a lost connection.
 *
 * <p>A type's cache answers only while it is <em>current</em>: listed at least once and its watch connected.
 * Otherwise (starting, reconnecting, relisting after 410) the pass reads the API server for that type, so a
 * partial cache is never planned from. Even a current cache may lag by the watch's latency; it is trusted only in
 * the direction that is safe: an object it shows is compared and, if it is to be deleted, re-read by the prune
 * step before the delete; an object it does not show is looked up on the API server ({@link LiveObjects#get},
 * {@link LiveObjects#recheck}) before anything is created, adopted or dropped from an inventory.
 */
public final class WatchCache implements AutoCloseable {

    /** Told of every change of a watched object: its identity, and the object (null when deleted or no longer ours). */
    public interface Listener {
        void changed(ObjectKey key, GenericKubernetesResource object);
    }

    private final KubernetesClient client;
    private final String fieldManager;
    private final Listener listener;
    private final Map<String, Watched> byType = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param client       the reconciler's own client (informers read as the reconciler, not as an impersonated
     *                     identity: they serve every environment)
     * @param fieldManager whose managed-fields entry is kept in full
     */
    public WatchCache(KubernetesClient client, String fieldManager, Listener listener) {
        this.client = client;
        this.fieldManager = fieldManager;
        this.listener = listener;
    }

    /** One informer and its type. */
    private record Watched(ResourceDefinitionContext type, SharedIndexInformer<GenericKubernetesResource> informer) {

        boolean current() {
            return informer.hasSynced() && informer.isWatching();
        }
    }

    /**
     * The planner's view for one pass: the cache where it is current, the API server through {@code actor} (the
     * pass's identity) everywhere else.
     */
    public LiveObjects live(KubernetesClient actor) {
        return new CachedLiveObjects(LiveObjects.of(actor));
    }

    /** How many types are watched, and how many of them are current (for /status and tests). */
    public Map<String, Integer> counts() {
        int current = (int) byType.values().stream().filter(Watched::current).count();
        int objects = byType.values().stream().mapToInt(w -> w.informer().getStore().list().size()).sum();
        return Map.of("types", byType.size(), "current", current, "objects", objects);
    }

    /** The cached object of that identity when its type is watched and current; null otherwise. */
    public GenericKubernetesResource cached(ObjectKey key) {
        Watched watched = watched(key);
        return watched == null ? null
                : watched.informer().getStore().getByKey(MetadataStore.key(key.namespace(), key.name()));
    }

    /** Whether the cache of the object's type is current: then {@link #cached} null means absent (as of the watch). */
    public boolean current(ObjectKey key) {
        return watched(key) != null;
    }

    private Watched watched(ObjectKey key) {
        for (Watched watched : byType.values()) {
            if (watched.type().getGroup().equals(key.group()) && watched.type().getKind().equals(key.kind())
                    && watched.current()) {
                return watched;
            }
        }
        return null;
    }

    /**
     * The object's type cannot be trusted: a write bound to the UID the cache showed found another object, or none
     * (the API server refused it, see {@code apply.ServerSideApply}), so the cache missed a delete. Its watch may
     * be broken without knowing it (a connection that stopped delivering but never closed): its informer is stopped
     * and a new one lists the type afresh; until it has, passes read that type from the API server.
     */
    public void distrust(ObjectKey key) {
        byType.values().removeIf(watched -> {
            boolean stale = watched.type().getGroup().equals(key.group()) && watched.type().getKind().equals(key.kind());
            if (stale) {
                watched.informer().stop();
            }
            return stale;
        });
    }

    /** Whether the type's cache is current (listed and watching). */
    public boolean current(ResourceDefinitionContext type) {
        Watched watched = byType.get(typeKey(type));
        return watched != null && watched.current();
    }

    private Watched watch(ResourceDefinitionContext type) {
        if (closed) {
            return null;
        }
        return byType.computeIfAbsent(typeKey(type), k -> start(type));
    }

    private Watched start(ResourceDefinitionContext type) {
        var resources = client.genericKubernetesResources(type);
        var selected = (type.isNamespaceScoped() ? resources.inAnyNamespace() : resources)
                .withLabel(Stamp.MANAGED_BY, Stamp.MANAGER);
        SharedIndexInformer<GenericKubernetesResource> informer = selected.runnableInformer(0);
        informer.itemStore(new MetadataStore(fieldManager));
        // keep trying (backing off) whatever failed, a refused LIST included: until it works, passes read the API
        informer.exceptionHandler((started, error) -> !closed);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource object) {
                listener.changed(keyOf(type, object), object);
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                listener.changed(keyOf(type, after), after);
            }

            @Override
            public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
                listener.changed(keyOf(type, object), null);
            }
        });
        informer.start();
        if (closed) {
            informer.stop(); // closed while this one was starting
        }
        return new Watched(type, informer);
    }

    private static ObjectKey keyOf(ResourceDefinitionContext type, GenericKubernetesResource object) {
        return new ObjectKey(type.getGroup(), type.getKind(), object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    private static String typeKey(ResourceDefinitionContext type) {
        return type.getGroup() + "/" + type.getVersion() + "/" + type.getPlural();
    }

    /** Stops every informer (their watches close); a pass still running reads the API server from then on. */
    @Override
    public void close() {
        closed = true;
        byType.values().forEach(w -> w.informer().stop());
        byType.clear();
    }

    /** {@link LiveObjects} from the cache where current, else from the API server. */
    private final class CachedLiveObjects implements LiveObjects {

        private final LiveObjects api;

        CachedLiveObjects(LiveObjects api) {
            this.api = api;
        }

        @Override
        public List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application) {
            Watched watched = watch(type);
            if (watched == null || !watched.current()) {
                return api.ours(type, application);
            }
            return watched.informer().getStore().list().stream()
                    .filter(o -> o.getMetadata().getLabels() != null
                            && application.equals(o.getMetadata().getLabels().get(Stamp.APPLICATION)))
                    .toList();
        }

        @Override
        public GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key) {
            Watched watched = byType.get(typeKey(type));
            if (watched != null && watched.current()) {
                GenericKubernetesResource cached = watched.informer().getStore()
                        .getByKey(MetadataStore.key(key.namespace(), key.name()));
                if (cached != null) {
                    return cached; // it exists (the planner reads only metadata of it)
                }
            }
            return api.get(type, key); // absent here proves nothing: it may not be ours, or the watch lags
        }

        @Override
        public Map<ObjectKey, GenericKubernetesResource> existing(ResourceDefinitionContext type,
                                                                  java.util.Collection<ObjectKey> keys) {
            Watched watched = byType.get(typeKey(type));
            boolean current = watched != null && watched.current();
            Map<ObjectKey, GenericKubernetesResource> found = new java.util.HashMap<>();
            List<ObjectKey> unknown = new java.util.ArrayList<>();
            for (ObjectKey key : keys) {
                GenericKubernetesResource cached = current
                        ? watched.informer().getStore().getByKey(MetadataStore.key(key.namespace(), key.name())) : null;
                if (cached != null) {
                    found.put(key, cached);
                } else {
                    unknown.add(key); // not ours, or the watch lags: the API server says
                }
            }
            if (!unknown.isEmpty()) {
                found.putAll(api.existing(type, unknown));
            }
            return found;
        }

        @Override
        public GenericKubernetesResource recheck(ResourceDefinitionContext type, ObjectKey key, String application) {
            GenericKubernetesResource found = api.get(type, key);
            Map<String, String> labels = found == null ? null : found.getMetadata().getLabels();
            return Stamp.managedByUs(labels) && application.equals(labels.get(Stamp.APPLICATION)) ? found : null;
        }
    }
}
