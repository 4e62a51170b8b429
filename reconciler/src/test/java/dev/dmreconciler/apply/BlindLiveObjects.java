package dev.dmreconciler.apply;

import dev.dmreconciler.plan.LiveObjects;
import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The API server's answers, except that one object is absent: a plan's read a moment before someone else made it, or
 * the plan of a create retried after its answer was lost. Makes a create that meets an existing object deterministic.
 */
record BlindLiveObjects(LiveObjects api, ObjectKey hidden) implements LiveObjects {

    @Override
    public List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application) {
        return api.ours(type, application).stream().filter(o -> !(hidden.kind().equals(o.getKind())
                && hidden.name().equals(o.getMetadata().getName())
                && hidden.namespace().equals(java.util.Objects.toString(o.getMetadata().getNamespace(), "")))).toList();
    }

    @Override
    public GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key) {
        return hidden.equals(key) ? null : api.get(type, key);
    }

    @Override
    public Map<ObjectKey, GenericKubernetesResource> existing(ResourceDefinitionContext type, Collection<ObjectKey> keys) {
        return api.existing(type, keys.stream().filter(k -> !hidden.equals(k)).toList());
    }
}
