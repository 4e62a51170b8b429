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
 * variable, Namespace ingress-nginx. Each is read with one GET by name (cached for the pass), never a
 * cluster-wide LIST, so a reconciler that may only {@code get} those kinds works; and only for scopes that
 * have something to write, so an unchanged environment costs no read at all.
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
        this.required = required;
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
        for (RequiredObject requirement : required) {
            if (requirement.guards().stream().noneMatch(writing::contains)) {
                continue;
            }
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

    /** The namespace a requirement names, else its instance's. */
    private static String namespaceOf(RequiredObject requirement) {
        return requirement.namespace().isEmpty() ? requirement.defaultNamespace() : requirement.namespace();
    }

    /** Why the required object is not there (or cannot be read), or null when it exists. */
    private String problem(RequiredObject requirement) {
        String namespace = namespaceOf(requirement);
        String id = requirement.apiVersion() + " " + requirement.kind() + " " + namespace + " " + requirement.name();
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
