package dev.dmreconciler.render;

import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
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
import java.util.List;
import java.util.Map;

/**
 * Environment → desired objects. Environment-scope templates render once with the environment's values;
 * namespace-scope templates render once per Data Manager namespace with that namespace's values, and their
 * namespaced objects land in it. The result is sorted in apply order and is byte-for-byte deterministic.
 *
 * <p>Data model of every template: each variable of the application by name, plus
 * {@code env.name}, {@code env.cluster}, {@code app.name}, {@code app.namespaces} (the sorted union of DM
 * namespaces of the application on the cluster), {@code app.environmentNamespaces} (this environment's), and
 * in namespace scope {@code namespace}.
 */
public final class Renderer {

    private final ConfigRepo repo;
    private final TemplateEngine engine;

    public Renderer(ConfigRepo repo, TemplateEngine engine) {
        this.repo = repo;
        this.engine = engine;
    }

    /**
     * Loads the environment of the repository named {@code name} and renders it.
     *
     * @throws InvalidInputException with every problem of the bundles and the environment
     */
    public static DesiredState renderNamed(ConfigRepo repo, String name) {
        try {
            Problems problems = new Problems();
            problems.addAll(repo.bundleProblems());
            Environment environment = repo.loader().load(name, null, problems);
            problems.throwIfErrors();
            return new Renderer(repo, new TemplateEngine(repo.tree())).render(environment, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Renders one environment (optionally only one application of it).
     *
     * @throws InvalidInputException with every problem found when anything fails to render
     */
    public DesiredState render(Environment environment, String onlyApp) {
        Problems problems = new Problems();
        List<RenderedObject> objects = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        RenderLimits.Budget budget = engine.limits().start(); // time and output limits of the whole environment
        RenderFailures failures = new RenderFailures(environment.name());
        for (AppInstance app : environment.apps()) {
            if (onlyApp != null && !onlyApp.equals(app.name())) {
                continue;
            }
            if (!app.present()) {
                absent.add(app.name());
                continue;
            }
            Map<String, Object> appModel = new LinkedHashMap<>();
            appModel.put("name", app.name());
            appModel.put("namespaces", List.copyOf(repo.applicationNamespaces(environment, app)));
            appModel.put("environmentNamespaces", app.namespaces().stream().map(AppInstance.DmNamespace::name).toList());
            Map<String, Object> envModel = Map.of("name", environment.name(), "cluster", environment.cluster());
            for (TemplateRef template : app.bundle().templates()) {
                if (template.scope() == TemplateRef.Scope.ENVIRONMENT) {
                    Map<String, Object> model = model(app.values(), envModel, appModel, null);
                    renderOne(app, template, model, null, objects, failures, problems, budget);
                } else {
                    for (AppInstance.DmNamespace namespace : app.namespaces()) {
                        Map<String, Object> model = model(namespace.values(), envModel, appModel, namespace.name());
                        renderOne(app, template, model, namespace.name(), objects, failures, problems, budget);
                    }
                }
            }
        }
        failures.reportInto(problems);
        if (onlyApp == null || onlyApp.equals(Environment.MANIFESTS_APP)) {
            for (ManifestFiles.Manifest manifest : ManifestFiles.read(repo.tree(), environment.manifests(), problems)) {
                try {
                    objects.add(new RenderedObject(placeInNamespace(manifest.body(), null), manifest.body(),
                            Environment.MANIFESTS_APP, manifest.file(), null));
                } catch (IllegalArgumentException e) {
                    problems.error(manifest.file(), null, e.getMessage().replace("environment-scope templates", "manifests")
                            + " (environment " + environment.name() + "; or give the entry a namespace)");
                }
            }
        }
        checkUnique(objects, environment, problems);
        problems.throwIfErrors();
        objects.sort((a, b) -> a.key().compareTo(b.key()));
        return new DesiredState(environment, List.copyOf(objects), List.copyOf(absent));
    }

    private static Map<String, Object> model(Map<String, Param> values, Map<String, Object> env,
                                             Map<String, Object> app, String namespace) {
        Map<String, Object> model = new HashMap<>();
        values.forEach((name, param) -> {
            if (param.value() != null) {
                model.put(name, param.value());
            }
        });
        model.put("env", env);
        model.put("app", app);
        if (namespace != null) {
            model.put("namespace", namespace);
        }
        return model;
    }

    private void renderOne(AppInstance app, TemplateRef template, Map<String, Object> model, String namespace,
                           List<RenderedObject> into, RenderFailures failures, Problems problems, RenderLimits.Budget budget) {
        String text;
        try {
            text = engine.render(template.path(), model, budget);
        } catch (TemplateEngine.TemplateError e) {
            failures.add(e.where(), e.getMessage(), app.name(), namespace);
            if (e instanceof TemplateEngine.LimitExceeded) {
                failures.reportInto(problems);
                problems.throwIfErrors(); // the budget is spent: the other templates are not tried
            }
            return;
        }
        List<Map<String, Object>> documents;
        try {
            documents = ManifestReader.read(text);
        } catch (ManifestReader.BadManifest e) {
            TemplateEngine.TemplateError located = engine.explain(template.path(), model, e);
            failures.add(located.where(), located.getMessage(), app.name(), namespace);
            return;
        }
        for (int i = 0; i < documents.size(); i++) {
            String where = template.path() + " (document " + (i + 1) + ")";
            try {
                Map<String, Object> body = documents.get(i);
                ObjectKey key = placeInNamespace(body, namespace);
                into.add(new RenderedObject(key, body, app.name(), template.path(), namespace));
            } catch (IllegalArgumentException e) {
                failures.add(where, e.getMessage(), app.name(), namespace);
            }
        }
    }

    /**
     * Gives a namespaced object of a namespace-scope template its Data Manager namespace, and refuses a
     * namespaced object of an environment-scope template without an explicit namespace (it would
     * otherwise land wherever the kubeconfig points).
     */
    @SuppressWarnings("unchecked")
    private static ObjectKey placeInNamespace(Map<String, Object> body, String dmNamespace) {
        ObjectKey key = ObjectKey.of(body);
        Map<String, Object> metadata = (Map<String, Object>) body.get("metadata");
        if (KindOrder.isClusterScoped(key.group(), key.kind())) {
            if (!key.namespace().isEmpty()) {
                throw new IllegalArgumentException(key.kind() + " " + key.name() + " is cluster-scoped but sets a namespace");
            }
            return key;
        }
        if (dmNamespace == null) {
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
            placed.put("namespace", dmNamespace);
            placed.putAll(metadata);
            body.put("metadata", placed);
            return ObjectKey.of(body);
        }
        if (!key.namespace().equals(dmNamespace)) {
            throw new IllegalArgumentException(key + " is rendered for Data Manager namespace " + dmNamespace
                    + " but sets namespace " + key.namespace());
        }
        return key;
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
