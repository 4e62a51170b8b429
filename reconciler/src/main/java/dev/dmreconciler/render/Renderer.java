package dev.dmreconciler.render;

import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Instance;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Param;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.params.TemplateRef;
import dev.dmreconciler.resource.KindOrder;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Environment → desired objects. Environment-scope templates render once with the environment's values;
 * instance-scope templates render once per instance with that instance's values, and their namespaced objects
 * land in its namespace. The result is sorted in apply order and is byte-for-byte deterministic.
 *
 * <p>Data model of every template: each variable of the application by name, plus {@code env.name},
 * {@code env.cluster}, {@code app.name}, {@code app.namespaces} (the sorted union of the application's instance
 * namespaces on the cluster), {@code app.environmentNamespaces} (this environment's), {@code app.instances}
 * (this environment's, each {@code name} and {@code namespace}), and in instance scope {@code namespace} and
 * {@code instance.name}, {@code instance.namespace}.
 *
 * <p>Where objects may live: an instance-scope object in its instance's namespace; an environment-scope
 * namespaced object in a namespace the application owns (one it renders a Namespace for, or an instance's);
 * either also in the namespaces its template entry lists ({@code namespaces: [ingress-nginx]}).
 */
public final class Renderer {

    /** Lifecycle policy annotation (shared interface 1); a template entry's {@code lifecycle:} is its default. */
    public static final String LIFECYCLE_ANNOTATION = "dm-reconciler.dev/lifecycle";

    private final ConfigRepo repo;
    private final TemplateEngine engine;
    /** The memo of the one render this renderer is for ({@link WarmTemplates}); null: a new memo per render. */
    private final RenderMemo memo;

    public Renderer(ConfigRepo repo, TemplateEngine engine) {
        this(repo, engine, null);
    }

    Renderer(ConfigRepo repo, TemplateEngine engine, RenderMemo memo) {
        this.repo = repo;
        this.engine = engine;
        this.memo = memo;
    }

    /**
     * Loads the environment of the repository named {@code name} and renders it.
     *
     * @throws InvalidInputException with every problem of the bundles and the environment
     */
    public static DesiredState renderNamed(ConfigRepo repo, String name) {
        return new Renderer(repo, new TemplateEngine(repo.tree())).render(load(repo, name), null);
    }

    /**
     * The environment of the repository named {@code name}, loaded.
     *
     * @throws InvalidInputException with every problem of the bundles and the environment
     */
    static Environment load(ConfigRepo repo, String name) {
        try {
            Problems problems = new Problems();
            problems.addAll(repo.bundleProblems());
            Environment environment = repo.loader().load(name, null, problems);
            problems.throwIfErrors();
            return environment;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Renders one environment (optionally only one application of it).
     *
     * @throws InvalidInputException with every problem found when anything fails to render, or when another
     *                               environment of the cluster installs one of its instances too
     */
    public DesiredState render(Environment environment, String onlyApp) {
        Problems problems = new Problems();
        problems.addAll(repo.collisions(environment));
        List<RenderedObject> objects = new ArrayList<>();
        List<RequiredObject> preconditions = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        RenderLimits.Budget budget = engine.limits().start(); // time and output limits of the whole environment
        RenderFailures failures = new RenderFailures(environment.name());
        RenderMemo memo = this.memo != null ? this.memo : new RenderMemo(); // each distinct (template, values read) once
        for (AppInstance app : environment.apps()) {
            if (onlyApp != null && !onlyApp.equals(app.name())) {
                continue;
            }
            if (!app.present()) {
                absent.add(app.name());
                continue;
            }
            boolean rendered = true;
            Map<String, Object> appModel = appModel(environment, app);
            Map<String, Object> envModel = Map.of("name", environment.name(), "cluster", environment.cluster());
            List<RenderedObject> appObjects = new ArrayList<>();
            Map<String, List<RenderedObject>> byInstance = new LinkedHashMap<>();
            for (TemplateRef template : app.bundle().templates()) {
                if (template.scope() == TemplateRef.Scope.ENVIRONMENT) {
                    Map<String, Object> model = model(app.values(), envModel, appModel, null);
                    rendered &= renderOne(app, template, model, null, appObjects, failures, problems, budget, memo);
                } else {
                    for (Instance instance : app.instances()) {
                        Map<String, Object> model = model(instance.values(), envModel, appModel, instance);
                        List<RenderedObject> into = byInstance.computeIfAbsent(instance.name(), n -> new ArrayList<>());
                        rendered &= renderOne(app, template, model, instance, into, failures, problems, budget, memo);
                    }
                }
            }
            if (rendered) {
                checkOwnedNamespaces(app, appObjects, problems); // after a template failed it would only add noise
            }
            // copies target the namespaces they list; preconditions then guard them like rendered objects
            preconditions.addAll(new SecretCopyResolver(engine, environment.name(), app, envModel, appModel)
                    .resolve(appObjects, byInstance, problems));
            byInstance.values().forEach(appObjects::addAll);
            objects.addAll(appObjects);
            preconditions.addAll(new RequirementResolver(engine, environment, app, envModel, appModel)
                    .resolve(appObjects, byInstance, problems));
        }
        failures.reportInto(problems);
        if (onlyApp == null || onlyApp.equals(Environment.MANIFESTS_APP)) {
            dev.dmreconciler.secrets.SecretValues.Collector manifestSecrets = new dev.dmreconciler.secrets.SecretValues.Collector();
            for (ManifestFiles.Manifest manifest : ManifestFiles.read(repo.tree(), environment.manifests(), problems,
                    manifestSecrets)) {
                try {
                    objects.add(new RenderedObject(placeInNamespace(manifest.body(), null, null, null), manifest.body(),
                            Environment.MANIFESTS_APP, manifest.file(), null));
                } catch (IllegalArgumentException e) {
                    problems.error(manifest.file(), null, e.getMessage().replace("environment-scope templates", "manifests")
                            + " (environment " + environment.name() + "; or give the entry a namespace)");
                }
            }
            // a sops manifest's values are the environment's own secrets too (a sops-encrypted ConfigMap)
            environment = environment.withSecrets(environment.secrets().plus(manifestSecrets.build()));
        }
        checkUnique(objects, environment, problems);
        problems.throwIfErrors();
        objects.sort((a, b) -> a.key().compareTo(b.key()));
        return new DesiredState(environment, List.copyOf(objects), List.copyOf(absent), List.copyOf(preconditions));
    }

    private Map<String, Object> appModel(Environment environment, AppInstance app) {
        Map<String, Object> appModel = new LinkedHashMap<>();
        appModel.put("name", app.name());
        appModel.put("namespaces", List.copyOf(repo.applicationNamespaces(environment, app)));
        Set<String> own = new LinkedHashSet<>();
        List<Map<String, Object>> instances = new ArrayList<>();
        for (Instance instance : app.instances()) {
            own.add(instance.namespace());
            instances.add(Map.of("name", instance.name(), "namespace", instance.namespace()));
        }
        appModel.put("environmentNamespaces", List.copyOf(own));
        appModel.put("instances", List.copyOf(instances));
        return appModel;
    }

    static Map<String, Object> model(Map<String, Param> values, Map<String, Object> env, Map<String, Object> app,
                                     Instance instance) {
        Map<String, Object> model = new HashMap<>();
        values.forEach((name, param) -> {
            if (param.value() != null) {
                model.put(name, param.value());
            }
        });
        model.put("env", env);
        model.put("app", app);
        if (instance != null) {
            model.put("namespace", instance.namespace());
            model.put("instance", Map.of("name", instance.name(), "namespace", instance.namespace()));
        }
        return model;
    }

    /** @return false when it recorded a failure */
    private boolean renderOne(AppInstance app, TemplateRef template, Map<String, Object> model, Instance instance,
                              List<RenderedObject> into, RenderFailures failures, Problems problems,
                              RenderLimits.Budget budget, RenderMemo memo) {
        String label = instance == null ? null : instanceLabel(instance);
        List<Map<String, Object>> documents;
        RenderMemo.Hit hit = memo.find(template.path(), model);
        if (hit != null) {
            if (!budget.spend(hit.chars())) { // counted as if rendered again
                failures.add(template.path(), "rendering the environment produced more than " + engine.limits().maxChars()
                        + " characters (a loop without end?); rendering was stopped", app.name(), label);
                failures.reportInto(problems);
                problems.throwIfErrors();
            }
            documents = hit.documents();
        } else {
            TemplateEngine.Recorded rendered;
            try {
                rendered = engine.renderRecorded(template.path(), model, budget);
            } catch (TemplateEngine.TemplateError e) {
                failures.add(e.where(), e.getMessage(), app.name(), label);
                if (e instanceof TemplateEngine.LimitExceeded) {
                    failures.reportInto(problems);
                    problems.throwIfErrors(); // the budget is spent: the other templates are not tried
                }
                return false;
            }
            try {
                documents = ManifestReader.read(rendered.text());
            } catch (ManifestReader.BadManifest e) {
                TemplateEngine.TemplateError located = engine.explain(template.path(), model, e);
                failures.add(located.where(), located.getMessage(), app.name(), label);
                return false;
            }
            memo.remember(template.path(), model, rendered.reads(), rendered.text().length(), documents);
        }
        boolean ok = true;
        String namespace = instance == null ? null : instance.namespace();
        for (int i = 0; i < documents.size(); i++) {
            String where = template.path() + " (document " + (i + 1) + ")";
            try {
                Map<String, Object> body = documents.get(i);
                ObjectKey key = placeInNamespace(body, namespace, template, app.bundle().instanceScopeName());
                stampLifecycle(body, template.lifecycle());
                into.add(new RenderedObject(key, body, app.name(), template.path(), namespace));
            } catch (IllegalArgumentException e) {
                failures.add(where, e.getMessage(), app.name(), label);
                ok = false;
            }
        }
        return ok;
    }

    /** Jupyter's instances are named after their namespace; say it once. */
    private static String instanceLabel(Instance instance) {
        return instance.name().equals(instance.namespace()) ? instance.name()
                : instance.name() + " (namespace " + instance.namespace() + ")";
    }

    @SuppressWarnings("unchecked")
    private static void stampLifecycle(Map<String, Object> body, String lifecycle) {
        if (lifecycle == null) {
            return;
        }
        Map<String, Object> metadata = (Map<String, Object>) body.get("metadata");
        Object annotations = metadata.get("annotations");
        if (annotations instanceof Map<?, ?> map && map.containsKey(LIFECYCLE_ANNOTATION)) {
            return; // the template's own annotation wins over the bundle's default
        }
        Map<String, Object> updated = annotations instanceof Map<?, ?> map
                ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
        updated.put(LIFECYCLE_ANNOTATION, lifecycle);
        metadata.put("annotations", updated);
    }

    /**
     * Gives a namespaced object of an instance-scope template its instance's namespace, and refuses a
     * namespaced object of an environment-scope template without an explicit namespace (it would
     * otherwise land wherever the kubeconfig points).
     */
    @SuppressWarnings("unchecked")
    private static ObjectKey placeInNamespace(Map<String, Object> body, String instanceNamespace, TemplateRef template,
                                              String instanceScopeName) {
        ObjectKey key = ObjectKey.of(body);
        Map<String, Object> metadata = (Map<String, Object>) body.get("metadata");
        if (KindOrder.isClusterScoped(key.group(), key.kind())) {
            if (!key.namespace().isEmpty()) {
                throw new IllegalArgumentException(key.kind() + " " + key.name() + " is cluster-scoped but sets a namespace");
            }
            return key;
        }
        if (instanceNamespace == null) {
            if (key.namespace().isEmpty()) {
                throw new IllegalArgumentException(key.kind() + " " + key.name()
                        + " is namespaced but sets no metadata.namespace (environment-scope templates must set it)");
            }
            return key;
        }
        if (key.namespace().isEmpty()) {
            // name, then namespace, then the rest: the order a person expects to read
            Map<String, Object> placed = new LinkedHashMap<>();
            placed.put("name", metadata.get("name"));
            placed.put("namespace", instanceNamespace);
            placed.putAll(metadata);
            body.put("metadata", placed);
            return ObjectKey.of(body);
        }
        if (!key.namespace().equals(instanceNamespace) && !template.namespaces().contains(key.namespace())) {
            throw new IllegalArgumentException(key + " is rendered for " + instanceScopeName + " " + instanceNamespace
                    + " but sets namespace " + key.namespace() + notListed(template));
        }
        return key;
    }

    private static String notListed(TemplateRef template) {
        return "; list it in the template entry's namespaces: in bundle.yaml if the application may place objects there"
                + (template.namespaces().isEmpty() ? "" : " (listed: " + template.namespaces() + ")");
    }

    /**
     * Environment-scope objects must live in namespaces the application owns: one it renders a Namespace for, an
     * instance's, or one its template entry lists. Anything else would let a bundle write into any namespace of
     * the cluster by accident.
     */
    private static void checkOwnedNamespaces(AppInstance app, List<RenderedObject> environmentObjects, Problems problems) {
        Set<String> owned = new LinkedHashSet<>(app.instanceNamespaces());
        environmentObjects.stream().filter(o -> o.key().kind().equals("Namespace") && o.key().group().isEmpty())
                .forEach(o -> owned.add(o.key().name()));
        Map<String, TemplateRef> templates = new HashMap<>();
        app.bundle().templates().forEach(t -> templates.put(t.path(), t));
        for (RenderedObject object : environmentObjects) {
            String namespace = object.key().namespace();
            TemplateRef template = templates.get(object.template());
            if (!namespace.isEmpty() && !owned.contains(namespace) && !template.namespaces().contains(namespace)) {
                problems.error(object.template(), object.key().toString(), "namespace " + namespace
                        + " is not one of application " + app.name() + "'s own (" + String.join(", ", owned) + ")"
                        + notListed(template));
            }
        }
    }

    private static void checkUnique(List<RenderedObject> objects, Environment environment, Problems problems) {
        Map<ObjectKey, RenderedObject> seen = new HashMap<>();
        for (RenderedObject object : objects) {
            RenderedObject previous = seen.putIfAbsent(object.key(), object);
            if (previous != null) {
                problems.error(object.template(), object.key().toString(), "rendered twice in environment "
                        + environment.name() + " (also by " + previous.template() + ")");
            }
        }
    }
}
