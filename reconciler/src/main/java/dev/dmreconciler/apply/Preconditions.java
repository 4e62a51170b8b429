package dev.dmreconciler.apply;

import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.render.RequiredObject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The bundles' preconditions (as site_dm.yaml asserts them): before an object is written, every object that
 * guards it must exist — an instance's namespace, the Data Manager's ServiceAccount, a Secret named by a
 * variable, Namespace ingress-nginx. Each is read with one GET by name (cached for the pass), only for scopes
 * that have something to write, so an unchanged environment costs no read at all. When a pass needs many of one
 * kind (a cold apply: a namespace and a ServiceAccount per Data Manager namespace) they are first looked up with
 * one LIST ({@link #prefetch}, {@link PreconditionReads}); a reconciler that may only {@code get} those kinds
 * still works (the LIST is refused, the GETs follow).
 */
public final class Preconditions {

    private final KubernetesClient client;
    private final ResourceTypes types;
    private final List<RequiredObject> required;
    private final String environment;
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    Preconditions(KubernetesClient client, ResourceTypes types, List<RequiredObject> required, String environment) {
        this.client = client;
        this.types = types;
        this.required = List.copyOf(required);
        this.environment = environment;
    }

    /** Changes that may go ahead, and those skipped because a precondition guarding them failed. */
    record Checked(List<Change> ready, List<Result> skipped) {
    }

    /**
     * Checks the preconditions guarding the objects this group of changes writes; a change guarded by a failing
     * one is skipped with the reason, the rest are ready.
     */
    Checked check(List<Change> changes) {
        Set<dev.dmreconciler.resource.ObjectKey> writing = changes.stream()
                .filter(c -> c.action().writes())
                .map(Change::key).collect(Collectors.toSet());
        if (writing.isEmpty()) {
            return new Checked(changes, List.of());
        }
        Map<dev.dmreconciler.resource.ObjectKey, String> blocked = new HashMap<>();
        for (RequiredObject requirement : guarding(writing)) {
            String problem = problem(requirement);
            if (problem != null) {
                // every missing object is named, not only the first: one pass tells the administrator all of them
                requirement.guards().forEach(key -> blocked.merge(key, problem,
                        (earlier, more) -> earlier.contains(more) ? earlier : earlier + "; " + more));
            }
        }
        List<Change> ready = new ArrayList<>();
        List<Result> skipped = new ArrayList<>();
        for (Change change : changes) {
            String problem = blocked.get(change.key());
            if (problem == null) {
                ready.add(change);
            } else {
                skipped.add(Result.of(change, Outcome.SKIPPED, Reason.PRECONDITION_FAILED, problem));
            }
        }
        return new Checked(ready, skipped);
    }

    /**
     * The requirements guarding any of these objects, in declaration order. Found through an index of the guarded
     * objects (built once): every namespace of a cold apply checks its own few, and walking all of them for each
     * namespace was quadratic (18 million set lookups at 3,000 namespaces).
     */
    private List<RequiredObject> guarding(Set<dev.dmreconciler.resource.ObjectKey> writing) {
        Map<dev.dmreconciler.resource.ObjectKey, List<Integer>> index = byGuard();
        java.util.TreeSet<Integer> positions = new java.util.TreeSet<>();
        for (dev.dmreconciler.resource.ObjectKey key : writing) {
            positions.addAll(index.getOrDefault(key, List.of()));
        }
        List<RequiredObject> guarding = new ArrayList<>(positions.size());
        positions.forEach(i -> guarding.add(required.get(i)));
        return guarding;
    }

    private volatile Map<dev.dmreconciler.resource.ObjectKey, List<Integer>> byGuard;

    private Map<dev.dmreconciler.resource.ObjectKey, List<Integer>> byGuard() {
        Map<dev.dmreconciler.resource.ObjectKey, List<Integer>> index = byGuard;
        if (index == null) {
            index = new HashMap<>();
            for (int i = 0; i < required.size(); i++) {
                for (dev.dmreconciler.resource.ObjectKey key : required.get(i).guards()) {
                    index.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                }
            }
            byGuard = index; // built twice at worst by racing namespaces: the same content
        }
        return index;
    }

    /**
     * The Secrets that environment-scope preconditions reference must all exist before anything of the environment
     * is written (issue: "a missing referenced Secret fails that environment before any write"). One of instance
     * scope keeps failing only its instance, as each instance was its own playbook run: one person's missing Secret
     * does not stop everyone else's instance. A Secret the environment itself makes in this pass (its manifests,
     * another application's template, a copy) is not required to exist beforehand.
     *
     * @param client the environment's identity (the one its pass writes with)
     * @throws SecretsUnavailable naming every missing one and what requires it; nothing was written
     */
    public static void requireEnvironmentSecrets(KubernetesClient client, ResourceTypes types,
                                                 dev.dmreconciler.render.DesiredState desired) {
        Set<dev.dmreconciler.resource.ObjectKey> made = desired.objects().stream()
                .map(dev.dmreconciler.resource.RenderedObject::key).collect(Collectors.toSet());
        Preconditions preconditions = new Preconditions(client, types, desired.preconditions(), desired.environment().name());
        List<String> missing = new ArrayList<>();
        for (RequiredObject requirement : desired.preconditions()) {
            if (requirement.instance() != null || !"Secret".equals(requirement.kind()) || !"v1".equals(requirement.apiVersion())
                    || made.contains(new dev.dmreconciler.resource.ObjectKey("", "Secret", namespaceOf(requirement),
                    requirement.name()))) {
                continue; // instance scope fails only its instance; a Secret made in this pass needs not exist yet
            }
            String problem = preconditions.problem(requirement);
            if (problem != null && !missing.contains(problem)) {
                missing.add(problem);
            }
        }
        if (!missing.isEmpty()) {
            throw new SecretsUnavailable(String.join("; ", missing) + "; nothing of environment "
                    + desired.environment().name() + " was applied or pruned");
        }
    }

    /**
     * Looks up, with one LIST per batch ({@link PreconditionReads#plan}), the precondition objects the writes of
     * these changes need, before the Data Manager namespaces are applied. Only what a LIST shows is remembered
     * (as existing); everything else is left to {@link #check}'s GET. Why that is safe:
     * <ul>
     *   <li>the LISTs carry no {@code resourceVersion}, so the API server answers from etcd with a quorum read,
     *       exactly as fresh as a GET at that moment (never {@code resourceVersion=0}, the API server's watch
     *       cache, which may lag); the pages of one LIST are one snapshot;</li>
     *   <li>a precondition is therefore never failed by a LIST: an object it did not show (made by the operator
     *       scope of this pass, by the Data Manager a moment later, or beyond a page limit) is read by GET when
     *       its namespace is checked, as before;</li>
     *   <li>a precondition a LIST satisfied was true when the pass read it, seconds rather than milliseconds
     *       before the namespace's writes at 3,000 namespaces. A GET never excluded a deletion after the read
     *       either (a precondition is a check, not a lock): a deleted namespace still fails its writes on the API
     *       server, and the next pass reports the missing object;</li>
     *   <li>a LIST that fails (403 for an identity that may only {@code get}, an error, an unserved kind) changes
     *       nothing: every object it would have covered is read by GET, as without it.</li>
     * </ul>
     */
    void prefetch(List<Change> changes) {
        Set<dev.dmreconciler.resource.ObjectKey> writing = changes.stream()
                .filter(c -> c.action().writes())
                .map(Change::key).collect(Collectors.toSet());
        Map<PreconditionReads.Wanted, List<String>> ids = new HashMap<>();
        for (RequiredObject requirement : guarding(writing)) {
            String namespace = namespaceOf(requirement);
            String id = id(requirement, namespace);
            if (problems.containsKey(id)) {
                continue;
            }
            ResourceDefinitionContext type;
            try {
                type = types.lookup(requirement.apiVersion(), requirement.kind()).orElse(null);
            } catch (KubernetesClientException e) {
                type = null; // the GET reports it
            }
            if (type == null || type.isNamespaceScoped() && (namespace == null || namespace.isEmpty())) {
                continue;
            }
            PreconditionReads.Wanted wanted = new PreconditionReads.Wanted(requirement.apiVersion(), requirement.kind(),
                    type.isNamespaceScoped(), type.isNamespaceScoped() ? namespace : "", requirement.name());
            ids.computeIfAbsent(wanted, w -> new ArrayList<>()).add(id);
        }
        for (PreconditionReads.Batch batch : PreconditionReads.plan(ids.keySet())) {
            Set<String> found = listed(batch);
            for (PreconditionReads.Wanted wanted : batch.covers()) {
                if (found.contains(wanted.namespace() + "/" + wanted.name())) {
                    ids.get(wanted).forEach(id -> problems.putIfAbsent(id, ""));
                }
            }
        }
    }

    /** Objects per LIST page (metadata only: a page of 500 ServiceAccounts is ≈ 0.2 MB). */
    static final int PAGE = 500;
    /** Objects a LIST may return per object asked for before the rest are left to GETs (a much bigger kind). */
    static final int OBJECTS_PER_GET = 50;
    private static final String ACCEPT_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    /**
     * "namespace/name" of the batch's objects that exist (namespace "" for a cluster-scoped kind); what a failed or
     * abandoned LIST did not show is absent, so its objects are read by GET.
     */
    private Set<String> listed(PreconditionReads.Batch batch) {
        Set<String> wanted = new java.util.HashSet<>();
        batch.covers().forEach(w -> wanted.add(w.namespace() + "/" + w.name()));
        Set<String> found = new java.util.HashSet<>();
        try {
            ResourceDefinitionContext type = types.require(batch.apiVersion(), batch.kind());
            String path = dev.dmreconciler.kube.RawApi.path(type, batch.namespace(), null) + "?limit=" + PAGE
                    + (batch.name() == null ? "" : "&fieldSelector=" + dev.dmreconciler.kube.RawApi.encode("metadata.name=" + batch.name()));
            dev.dmreconciler.kube.RawApi raw = new dev.dmreconciler.kube.RawApi(client);
            long seen = 0;
            long enough = (long) wanted.size() * OBJECTS_PER_GET;
            String next = null;
            do {
                byte[] page = raw.get(path + (next == null ? "" : "&continue=" + dev.dmreconciler.kube.RawApi.encode(next)),
                        ACCEPT_LIST, false);
                io.fabric8.kubernetes.api.model.GenericKubernetesResourceList list = client.getKubernetesSerialization()
                        .unmarshal(new java.io.ByteArrayInputStream(page), io.fabric8.kubernetes.api.model.GenericKubernetesResourceList.class);
                List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> items = list.getItems() == null ? List.of() : list.getItems();
                for (var item : items) {
                    String namespace = type.isNamespaceScoped() && item.getMetadata().getNamespace() != null
                            ? item.getMetadata().getNamespace() : "";
                    String key = namespace + "/" + item.getMetadata().getName();
                    if (wanted.remove(key)) {
                        found.add(key);
                    }
                }
                seen += items.size();
                next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
            } while (next != null && !next.isEmpty() && !wanted.isEmpty() && seen < enough);
        } catch (RuntimeException e) {
            // not allowed to list (an identity with get only), or an error: what was not shown is read by GET
        }
        return found;
    }

    private static String id(RequiredObject requirement, String namespace) {
        return requirement.apiVersion() + " " + requirement.kind() + " " + namespace + " " + requirement.name();
    }

    /** The namespace a requirement names, else its instance's. */
    private static String namespaceOf(RequiredObject requirement) {
        return requirement.namespace().isEmpty() ? requirement.defaultNamespace() : requirement.namespace();
    }

    /** Why the required object is not there (or cannot be read), or null when it exists. */
    private String problem(RequiredObject requirement) {
        String namespace = namespaceOf(requirement);
        String id = id(requirement, namespace);
        String cached = problems.computeIfAbsent(id, k -> { // one GET per object and pass, however many require it
            String problem = read(requirement, namespace);
            return problem == null ? "" : problem;
        });
        return cached.isEmpty() ? null : cached + " (required by " + requiredBy(requirement) + ")";
    }

    /** "application maiakubegate, instance jupyterlab-1-v1, environment ml; templates/maiakubegate/bundle.yaml:14". */
    private String requiredBy(RequiredObject requirement) {
        return "application " + requirement.application()
                + (requirement.instance() == null ? "" : ", instance " + requirement.instance())
                + ", environment " + environment + "; " + requirement.where();
    }

    private String read(RequiredObject requirement, String namespace) {
        String what = requirement.kind().equals("Namespace") ? "namespace " + requirement.name()
                : requirement.kind() + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/")
                + requirement.name();
        try {
            ResourceDefinitionContext type = types.require(requirement.apiVersion(), requirement.kind());
            var resources = client.genericKubernetesResources(type);
            Object found;
            if (type.isNamespaceScoped()) {
                if (namespace == null || namespace.isEmpty()) {
                    return "precondition " + requirement.kind() + " " + requirement.name() + " of " + requirement.where()
                            + " is namespaced but names no namespace";
                }
                found = resources.inNamespace(namespace).withName(requirement.name()).get();
            } else {
                found = resources.withName(requirement.name()).get();
            }
            if (found != null) {
                return null;
            }
            return "precondition failed: " + what + " does not exist";
        } catch (KubernetesClientException | IllegalStateException e) {
            return "precondition check failed: " + what + ": " + ApiErrors.describe(e);
        }
    }
}
