package dev.dmreconciler.render;

import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.Instance;
import dev.dmreconciler.params.Param;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.params.SecretCopy;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an application's {@code secretCopies:} into desired Secrets, one per target namespace. Rendering is offline,
 * so each is a placeholder: name, namespace and the annotation {@value #COPY_OF} naming its source; the source's
 * {@code type} and {@code data} are filled in by every pass that talks to the cluster (apply, live diff, run), which
 * reads the source then. As desired objects the copies are checked against the policy, planned, applied,
 * inventoried and pruned like rendered ones, and {@code render} and the offline diff show where they go.
 */
public final class SecretCopyResolver {

    /** Annotation on a copy naming its source, {@code namespace/name}: the placeholder's mark and, applied, a pointer for people. */
    public static final String COPY_OF = "dm-reconciler.dev/copy-of";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    private final TemplateEngine engine;
    private final String environment;
    private final AppInstance app;
    private final Map<String, Object> envModel;
    private final Map<String, Object> appModel;
    private Problems problems;

    SecretCopyResolver(TemplateEngine engine, String environment, AppInstance app, Map<String, Object> envModel,
                       Map<String, Object> appModel) {
        this.engine = engine;
        this.environment = environment;
        this.app = app;
        this.envModel = envModel;
        this.appModel = appModel;
    }

    /**
     * Environment-scope copies go to {@code environmentObjects}, instance-scope ones to their instance's list (whose
     * namespace is already a precondition of the instance).
     *
     * @return the preconditions of the environment-scope copies: each target namespace exists, unless the
     *         application renders that Namespace itself
     */
    List<RequiredObject> resolve(List<RenderedObject> environmentObjects, Map<String, List<RenderedObject>> byInstance,
                                 Problems problems) {
        this.problems = problems;
        List<RenderedObject> copies = new ArrayList<>();
        for (SecretCopy copy : app.secretCopies()) {
            if (copy.instanceScope()) {
                for (Instance instance : app.instances()) {
                    Map<String, Object> model = Renderer.model(instance.values(), envModel, appModel, instance);
                    if (declared(copy, instance.values(), problems)) {
                        one(copy, model, List.of(instance.namespace()), instance, problems)
                                .forEach(o -> byInstance.computeIfAbsent(instance.name(), n -> new ArrayList<>()).add(o));
                    }
                }
            } else if (declared(copy, app.values(), problems)) {
                Map<String, Object> model = Renderer.model(app.values(), envModel, appModel, null);
                List<String> namespaces = new ArrayList<>();
                for (String namespace : copy.namespaces()) {
                    // an entry may render to several (a list variable joined with commas) or to none
                    String rendered = text(copy, "namespaces", namespace, model, null, null);
                    if (rendered != null) {
                        java.util.Arrays.stream(rendered.split("[,\\s]+")).filter(n -> !n.isEmpty())
                                .filter(n -> !namespaces.contains(n)).forEach(namespaces::add);
                    }
                }
                if (namespaces.isEmpty()) {
                    problems.error(copy.where(), "secretCopies.namespaces", "renders no namespace" + context(null));
                }
                copies.addAll(one(copy, model, namespaces, null, problems));
            }
        }
        java.util.Set<String> rendered = new java.util.HashSet<>();
        environmentObjects.stream().filter(o -> o.key().kind().equals("Namespace") && o.key().group().isEmpty())
                .forEach(o -> rendered.add(o.key().name()));
        Map<String, java.util.Set<ObjectKey>> guarded = new java.util.TreeMap<>();
        for (RenderedObject copy : copies) {
            if (!rendered.contains(copy.key().namespace())) {
                guarded.computeIfAbsent(copy.key().namespace(), n -> new java.util.HashSet<>()).add(copy.key());
            }
        }
        environmentObjects.addAll(copies);
        List<RequiredObject> required = new ArrayList<>();
        guarded.forEach((namespace, keys) -> required.add(new RequiredObject(app.name(), null, "v1", "Namespace", "", null,
                namespace, "secretCopies of " + app.name(), java.util.Set.copyOf(keys))));
        return required;
    }

    /** Whether the copy's {@code when} variable is set (or it has none). */
    private boolean declared(SecretCopy copy, Map<String, Param> values, Problems problems) {
        if (copy.when() == null) {
            return true;
        }
        if (!app.bundle().variables().containsKey(copy.when()) && !values.containsKey(copy.when())) {
            problems.error(copy.where(), "secretCopies.when", "'" + copy.when() + "' is not a variable of application "
                    + app.name());
            return false;
        }
        Param param = values.get(copy.when());
        Object value = param == null ? null : param.value();
        return value != null && !String.valueOf(value).isBlank() && !app.bundle().sentinel().equals(String.valueOf(value))
                && !Boolean.FALSE.equals(value);
    }

    private List<RenderedObject> one(SecretCopy copy, Map<String, Object> model, List<String> namespaces,
                                     Instance instance, Problems problems) {
        String fromNamespace = text(copy, "from.namespace", copy.fromNamespace(), model, instance, problems);
        String fromName = text(copy, "from.name", copy.fromName(), model, instance, problems);
        String name = copy.name().isEmpty() ? fromName : text(copy, "name", copy.name(), model, instance, problems);
        if (fromNamespace == null || fromName == null || name == null) {
            return List.of();
        }
        if (!DNS_LABEL.matcher(fromNamespace).matches() || !DNS_SUBDOMAIN.matcher(fromName).matches()
                || !DNS_SUBDOMAIN.matcher(name).matches()) {
            problems.error(copy.where(), "secretCopies", "'" + fromNamespace + "/" + fromName + "' → '" + name
                    + "' is not a valid Secret namespace/name" + context(instance));
            return List.of();
        }
        List<RenderedObject> objects = new ArrayList<>();
        for (String namespace : namespaces) {
            if (!DNS_LABEL.matcher(namespace).matches()) {
                problems.error(copy.where(), "secretCopies.namespaces", "'" + namespace + "' is not a valid namespace name"
                        + context(instance));
                continue;
            }
            if (namespace.equals(fromNamespace) && name.equals(fromName)) {
                problems.error(copy.where(), "secretCopies", "copies Secret " + fromNamespace + "/" + fromName
                        + " onto itself" + context(instance));
                continue;
            }
            objects.add(placeholder(namespace, name, fromNamespace + "/" + fromName, copy.where(), instance));
        }
        return objects;
    }

    private RenderedObject placeholder(String namespace, String name, String source, String where, Instance instance) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("annotations", new LinkedHashMap<>(Map.of(COPY_OF, source)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "Secret");
        body.put("metadata", metadata);
        return new RenderedObject(ObjectKey.of(body), body, app.name(), where + " (secret copy)",
                instance == null ? null : instance.namespace());
    }

    /** @param problems where an empty result is reported; null: an empty result is allowed (null returned) */
    private String text(SecretCopy copy, String field, String template, Map<String, Object> model, Instance instance,
                        Problems problems) {
        Problems errors = problems != null ? problems : this.problems;
        try {
            String rendered = engine.renderText(copy.where() + " secretCopies." + field, template, model).trim();
            if (rendered.isEmpty() && problems == null) {
                return null; // may render empty
            }
            if (rendered.isEmpty()) {
                problems.error(copy.where(), "secretCopies." + field, "renders empty" + context(instance));
                return null;
            }
            return rendered;
        } catch (TemplateEngine.TemplateError e) {
            errors.error(e.where(), "secretCopies." + field, e.getMessage() + context(instance));
            return null;
        }
    }

    private String context(Instance instance) {
        return " (environment " + environment + ", application " + app.name()
                + (instance == null ? "" : ", " + app.bundle().instanceScopeName() + " " + instance.name()) + ")";
    }
}
