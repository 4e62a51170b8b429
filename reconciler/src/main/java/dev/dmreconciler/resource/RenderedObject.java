package dev.dmreconciler.resource;

import java.util.Map;

/**
 * A desired object and where it came from.
 *
 * @param body        the object as plain maps/lists, in template key order
 * @param template    repository path of the template that produced it
 * @param dmNamespace the Data Manager namespace it was rendered for, or null for environment scope
 */
public record RenderedObject(ObjectKey key, Map<String, Object> body, String application, String template,
                             String dmNamespace) {
}
