package dev.dmreconciler.render;

import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.Bundle;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Instance;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a bundle's preconditions into {@link RequiredObject}s for one environment: names and namespaces are
 * rendered (FreeMarker, the same model as the templates), each is tied to the objects it guards. Three sources:
 * <ul>
 *   <li>{@code preconditions:} entries, scope environment (guarding every object of the application) or
 *       instance (rendered per instance, guarding that instance's objects);</li>
 *   <li>the older {@code namespacePreconditions:} (the Data Manager's ServiceAccount), instance scope, in the
 *       instance's namespace;</li>
 *   <li>implicitly, an instance's namespace must exist before its objects are applied, unless the environment
 *       renders that Namespace itself.</li>
 * </ul>
 */
final class RequirementResolver {

    private final TemplateEngine engine;
    private final Environment environment;
    private final AppInstance app;
    private final Map<String, Object> envModel;
    private final Map<String, Object> appModel;

    RequirementResolver(TemplateEngine engine, Environment environment, AppInstance app, Map<String, Object> envModel,
                        Map<String, Object> appModel) {
        this.engine = engine;
        this.environment = environment;
        this.app = app;
        this.envModel = envModel;
        this.appModel = appModel;
    }

    List<RequiredObject> resolve(List<RenderedObject> appObjects, Map<String, List<RenderedObject>> byInstance,
                                 Problems problems) {
        Bundle bundle = app.bundle();
        List<RequiredObject> required = new ArrayList<>();
        Set<ObjectKey> all = keys(appObjects);
        Set<String> renderedNamespaces = appObjects.stream()
                .filter(o -> o.key().kind().equals("Namespace") && o.key().group().isEmpty())
                .map(o -> o.key().name()).collect(Collectors.toSet());
        Map<String, Object> environmentModel = Renderer.model(app.values(), envModel, appModel, null);
        for (Bundle.Requirement requirement : app.preconditions()) {
            if (!requirement.instanceScope()) {
                resolveOne(requirement, environmentModel, null, null, all, problems).stream()
                        .filter(r -> !rendersItself(r, all)).forEach(required::add);
            }
        }
        for (Instance instance : app.instances()) {
            Set<ObjectKey> guarded = keys(byInstance.getOrDefault(instance.name(), List.of()));
            if (guarded.isEmpty()) {
                continue; // nothing of it to guard (an application with environment-scope templates only)
            }
            if (!renderedNamespaces.contains(instance.namespace())) {
                required.add(new RequiredObject(app.name(), instance.name(), "v1", "Namespace", "", null,
                        instance.namespace(), bundle.file(), guarded));
            }
            for (Bundle.Precondition legacy : bundle.namespacePreconditions()) {
                required.add(new RequiredObject(app.name(), instance.name(), legacy.apiVersion(), legacy.kind(),
                        instance.namespace(), instance.namespace(), legacy.name(), bundle.file(), guarded));
            }
            Map<String, Object> model = Renderer.model(instance.values(), envModel, appModel, instance);
            for (Bundle.Requirement requirement : app.preconditions()) {
                if (requirement.instanceScope()) {
                    resolveOne(requirement, model, instance, instance.namespace(), guarded, problems).stream()
                            .filter(r -> !rendersItself(r, all)).forEach(required::add);
                }
            }
        }
        return required;
    }

    private List<RequiredObject> resolveOne(Bundle.Requirement requirement, Map<String, Object> model,
                                            Instance instance, String defaultNamespace, Set<ObjectKey> guards,
                                            Problems problems) {
        String context = " (environment " + environment.name() + ", application " + app.name()
                + (instance == null ? "" : ", " + app.bundle().instanceScopeName() + " " + instance.name()) + ")";
        try {
            List<String> names;
            if (requirement.namesExpression() != null) {
                names = list(requirement, "names", requirement.namesExpression(), model);
            } else {
                String name = engine.renderText(requirement.where() + " precondition name", requirement.name(), model).trim();
                if (name.isEmpty()) {
                    problems.error(requirement.where(), requirement.kind(), "precondition name renders empty" + context);
                    return List.of();
                }
                names = List.of(name);
            }
            List<String> namespaces = requirement.namespacesExpression() != null
                    ? list(requirement, "namespaces", requirement.namespacesExpression(), model)
                    : List.of(engine.renderText(requirement.where() + " precondition namespace", requirement.namespace(),
                            model).trim());
            List<RequiredObject> out = new ArrayList<>();
            for (String namespace : namespaces) {
                for (String name : names) {
                    out.add(new RequiredObject(app.name(), instance == null ? null : instance.name(),
                            requirement.apiVersion(), requirement.kind(), namespace, defaultNamespace, name,
                            requirement.where(), guards));
                }
            }
            return out;
        } catch (TemplateEngine.TemplateError e) {
            problems.error(e.where(), requirement.kind(), e.getMessage() + context);
            return List.of();
        }
    }

    /**
     * A precondition on an object the application renders itself (a Secret it makes from vault values when they
     * are given, or copies from elsewhere) holds by construction: it is applied in the same pass, in kind order.
     * This lets a bundle require a Secret by default and make it when the environment supplies its values.
     */
    private static boolean rendersItself(RequiredObject required, Set<ObjectKey> rendered) {
        String namespace = required.namespace().isEmpty() ? required.defaultNamespace() : required.namespace();
        return rendered.contains(new ObjectKey(ObjectKey.groupOf(required.apiVersion()), required.kind(),
                namespace == null || dev.dmreconciler.resource.KindOrder.isClusterScoped(ObjectKey.groupOf(required.apiVersion()),
                        required.kind()) ? "" : namespace, required.name()));
    }

    /**
     * Evaluates a {@code names:}/{@code namespaces:} expression: a list gives its elements (strings or numbers),
     * a string one name (empty: none). A variable that is not set is an error (a typo must not require nothing);
     * write {@code name!} to mean none.
     */
    private List<String> list(Bundle.Requirement requirement, String setting, String expression, Map<String, Object> model) {
        String where = requirement.where() + " precondition " + setting;
        String json = engine.renderText(where, "${dmr.toJson((" + expression + "))}", model);
        Object value;
        try {
            value = Json.MAPPER.readValue(json, Object.class);
        } catch (java.io.IOException e) {
            throw new TemplateEngine.TemplateError(where, setting + ": `" + expression + "` did not give a list of names");
        }
        if (value == null || value instanceof String s && s.isBlank()) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s.trim());
        }
        if (value instanceof List<?> items) {
            List<String> out = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof String || item instanceof Number) || String.valueOf(item).isBlank()) {
                    throw new TemplateEngine.TemplateError(where, setting + ": `" + expression + "` gives an element that is "
                            + (item == null ? "null" : item instanceof Map ? "a map" : item instanceof List ? "a list" : "empty")
                            + ", not a name (for a list of maps, pick the name: " + expression + "?map(v -> v.name))");
                }
                out.add(String.valueOf(item).trim());
            }
            return out.stream().distinct().toList();
        }
        throw new TemplateEngine.TemplateError(where, setting + ": `" + expression + "` gives a "
                + (value instanceof Map ? "map" : "value") + ", not a list of names");
    }

    /** Made on first use: only a names/namespaces expression needs it, and a render without one loads no Jackson. */
    private static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }

    private static Set<ObjectKey> keys(List<RenderedObject> objects) {
        return objects.stream().map(RenderedObject::key).collect(Collectors.toUnmodifiableSet());
    }
}
