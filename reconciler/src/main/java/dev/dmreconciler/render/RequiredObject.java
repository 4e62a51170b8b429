package dev.dmreconciler.render;

import dev.dmreconciler.resource.ObjectKey;
import java.util.Set;

/**
 * A precondition resolved for one environment: an object that must exist (checked by GET, by name) before
 * the objects it guards are applied. Environment-scope preconditions guard every object of the application,
 * instance-scope ones the objects of one instance.
 *
 * @param instance         the instance it belongs to, or null for environment scope
 * @param namespace        the namespace given in the bundle (rendered), or "" when none was given
 * @param defaultNamespace the namespace a namespaced kind is looked up in when none was given (the instance's),
 *                         or null
 * @param where            the bundle entry that declared it
 * @param guards           the objects applied only when it holds
 */
public record RequiredObject(String application, String instance, String apiVersion, String kind, String namespace,
                             String defaultNamespace, String name, String where, Set<ObjectKey> guards) {
}
