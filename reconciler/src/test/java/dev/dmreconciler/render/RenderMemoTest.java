package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.RenderedObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each distinct (template, values read) renders once, and a remembered rendering is the rendering it replaces. */
class RenderMemoTest {

    @TempDir
    Path dir;

    private TemplateEngine engine(String template) throws IOException {
        ConfigRepo config = TestRepo.empty(dir).write("templates/m/t.ftl", template).open();
        return new TemplateEngine(config.tree());
    }

    private static Map<String, Object> model(Object... pairs) {
        Map<String, Object> model = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            model.put((String) pairs[i], pairs[i + 1]);
        }
        return model;
    }

    @Test
    void recordsExactlyTheVariablesATemplateReadsOnItsPath() throws IOException {
        TemplateEngine engine = engine("${a} <#if b>${c}</#if> ${x!'none'} ${dmr.quote('q')}");
        RenderLimits.Budget budget = engine.limits().start();
        TemplateEngine.Recorded off = engine.renderRecorded("templates/m/t.ftl", model("a", "1", "b", false, "c", "3", "d", "4"), budget);
        assertEquals(Set.of("a", "b", "x", "dmr"), off.reads().keySet(), "c is not read when b is false; d never");
        assertNull(off.reads().get("x"), "an absent variable is read as absent");
        TemplateEngine.Recorded on = engine.renderRecorded("templates/m/t.ftl", model("a", "1", "b", true, "c", "3"), budget);
        assertEquals(Set.of("a", "b", "c", "x", "dmr"), on.reads().keySet());
    }

    @Test
    void aTemplateThatListsTheModelReadsAllOfIt() throws IOException {
        TemplateEngine engine = engine("<#list .data_model?keys as k>${k}</#list>");
        assertNull(engine.renderRecorded("templates/m/t.ftl", model("a", "1"), engine.limits().start()).reads());
    }

    @Test
    void aRememberedRenderingMatchesOnlyTheSameValuesOfWhatItReadAndHandsOutCopies() {
        RenderMemo memo = new RenderMemo();
        Map<String, Object> doc = new LinkedHashMap<>(Map.of("kind", "ConfigMap", "metadata", new LinkedHashMap<>(Map.of("name", "n"))));
        Map<String, Object> reads = new HashMap<>();
        reads.put("cost", "1.00");
        reads.put("absent", null);
        memo.remember("t", model("cost", "1.00", "namespace", "a"), reads, 42, List.of(doc));
        ((Map<String, Object>) doc.get("metadata")).put("namespace", "changed-after-remember");

        RenderMemo.Hit hit = memo.find("t", model("cost", "1.00", "namespace", "b"));
        assertNotNull(hit, "namespace was not read: same rendering");
        assertEquals(42, hit.chars());
        assertEquals(Map.of("name", "n"), hit.documents().get(0).get("metadata"), "remembered before it was changed");
        RenderMemo.Hit again = memo.find("t", model("cost", "1.00"));
        assertNotSame(hit.documents().get(0).get("metadata"), again.documents().get(0).get("metadata"), "fresh copies");

        assertNull(memo.find("t", model("cost", "2.00")), "a value it read differs");
        assertNull(memo.find("t", model("cost", "1.00", "absent", "now-set")), "a variable it read as absent is set");
        assertNull(memo.find("other", model("cost", "1.00")), "another template");

        memo.remember("w", model("a", "1"), null, 1, List.of(doc));
        assertNotNull(memo.find("w", model("a", "1")));
        assertNull(memo.find("w", model("a", "1", "b", "2")), "a template that read everything needs the same model");
    }

    @Test
    void aMemoCarriesWhatTheNextRenderUsesOfThePreviousOneAndNothingElse() {
        Map<String, Object> doc = new LinkedHashMap<>(Map.of("kind", "ConfigMap", "metadata", new LinkedHashMap<>(Map.of("name", "n"))));
        RenderMemo first = new RenderMemo();
        first.remember("t", model("password", "old", "namespace", "a"), model("password", "old"), 10, List.of(doc));
        first.remember("t", model("password", "kept", "namespace", "a"), model("password", "kept"), 11, List.of(doc));
        first.remember("w", model("a", "1"), null, 12, List.of(doc));

        RenderMemo second = RenderMemo.carrying(first.published());
        assertNull(second.find("t", model("password", "rotated")), "a changed value is rendered again");
        assertEquals(11, second.find("t", model("password", "kept", "namespace", "b")).chars(), "an equal one is not");
        assertEquals(12, second.find("w", model("a", "1")).chars());
        assertNull(second.find("w", model("a", "1", "b", "2")), "a whole-model rendering needs the same model");
        second.remember("t", model("password", "rotated"), model("password", "rotated"), 13, List.of(doc));

        RenderMemo third = RenderMemo.carrying(second.published());
        assertNull(third.find("t", model("password", "old")), "not used by the render before: dropped");
        assertEquals(11, third.find("t", model("password", "kept")).chars(), "used by it: carried");
        assertEquals(13, third.find("t", model("password", "rotated")).chars());
        assertEquals(12, third.find("w", model("a", "1")).chars());
        RenderMemo fourth = RenderMemo.carrying(third.published());
        assertNull(fourth.find("t", model("password", "old")), "memos do not chain");
        assertNotNull(fourth.find("t", model("password", "kept")));
    }

    @Test
    void manyRenderingsOfOneTemplateAreFoundByTheirValues() {
        RenderMemo memo = new RenderMemo();
        Map<String, Object> app = Map.of("name", "x", "namespaces", List.of("a", "b"));
        for (int i = 0; i < 3000; i++) {
            memo.remember("rb", model("namespace", "ns-" + i, "app", app, "cost", "1"), model("namespace", "ns-" + i, "app", app),
                    i, List.of(Map.of("n", i)));
        }
        for (int i = 0; i < 3000; i++) {
            Map<String, Object> sameApp = Map.of("name", "x", "namespaces", List.of("a", "b")); // equal, not the same
            assertEquals(i, memo.find("rb", model("namespace", "ns-" + i, "app", sameApp, "cost", "2")).chars());
        }
        assertNull(memo.find("rb", model("namespace", "ns-1", "app", Map.of("name", "y"))));
        assertNull(memo.find("rb", model("namespace", "ns-3000", "app", app)));
    }

    @Test
    void instancesGetTheirOwnObjectsWhetherOrNotTheTemplateReadsTheirValues() throws IOException {
        ConfigRepo config = TestRepo.empty(dir).write("templates/probe/bundle.yaml", """
                        name: probe
                        prefix: pr_
                        namespaceVariable: pr_namespace
                        stateVariable: pr_state
                        templates:
                          - {file: templates/probe/same.yaml.ftl, scope: namespace}
                          - {file: templates/probe/flag.yaml.ftl, scope: namespace}
                        variables:
                          pr_state: {default: present}
                          pr_namespace: {default: dm}
                          pr_flag: {default: "no"}
                        """)
                .write("templates/probe/same.yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\ndata: {k: v}\n")
                .write("templates/probe/flag.yaml.ftl", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: flag}
                        data: {where: "<#if pr_flag == "yes">${namespace}<#else>anywhere</#if>"}
                        """)
                .write("environments/env.yaml", """
                        applications:
                          probe:
                            namespaces:
                              ns-a: {pr_flag: "yes"}
                              ns-b: {}
                              ns-c: {pr_flag: "yes"}
                              ns-d: {}
                        """)
                .open();
        Problems problems = new Problems();
        Environment environment = config.loader().load("env", null, problems);
        problems.throwIfErrors();
        List<RenderedObject> objects = new Renderer(config, new TemplateEngine(config.tree())).render(environment, null).objects();
        Map<String, String> where = new HashMap<>();
        for (RenderedObject o : objects) {
            assertEquals(o.dmNamespace(), o.key().namespace());
            assertEquals(o.dmNamespace(), ((Map<?, ?>) o.body().get("metadata")).get("namespace"), "each its own copy");
            if (o.key().name().equals("flag")) {
                where.put(o.dmNamespace(), (String) ((Map<?, ?>) o.body().get("data")).get("where"));
            }
        }
        assertEquals(8, objects.size());
        assertEquals(Map.of("ns-a", "ns-a", "ns-b", "anywhere", "ns-c", "ns-c", "ns-d", "anywhere"), where);
        assertTrue(objects.stream().filter(o -> o.key().name().equals("same")).map(RenderedObject::body).distinct().count() == 4);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMemoKeptAcrossRendersHoldsReadOnlyCompactDocumentsAndHandsOutChangeableCopies() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "ConfigMap");
        doc.put("metadata", new LinkedHashMap<>(Map.of("name", "n")));
        doc.put("data", new LinkedHashMap<>(Map.of("cost", "1.00")));
        RenderMemo kept = RenderMemo.carrying(null); // run's memo (WarmTemplates)
        kept.remember("t", model("cost", "1.00"), model("cost", "1.00"), 10, List.of(doc));
        ((Map<String, Object>) doc.get("data")).put("cost", "changed by the renderer afterwards");
        RenderMemo.Hit hit = kept.find("t", model("cost", "1.00"));
        Map<String, Object> copy = hit.documents().get(0);
        assertEquals(Map.of("kind", "ConfigMap", "metadata", Map.of("name", "n"), "data", Map.of("cost", "1.00")), copy);
        assertEquals(List.of("kind", "metadata", "data"), List.copyOf(copy.keySet()), "the document's key order");
        // the renderer's top level and metadata are its own (it places the object and marks its lifecycle there) …
        copy.put("kind", "Changed");
        ((Map<String, Object>) copy.get("metadata")).put("namespace", "ns-a");
        Map<String, Object> again = kept.find("t", model("cost", "1.00")).documents().get(0);
        assertEquals("ConfigMap", again.get("kind"));
        assertEquals(Map.of("name", "n"), again.get("metadata"));
        // … and the rest is shared with the memo, read-only: a change throws instead of altering later renders
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) copy.get("data")).put("cost", "2.00"));
        assertSame(copy.get("data"), again.get("data"), "not copied per hit");
        assertEquals("1.00", ((Map<String, Object>) again.get("data")).get("cost"));
        RenderMemo next = RenderMemo.carrying(kept.published());
        assertNotNull(next.find("t", model("cost", "1.00")), "carried into the next render");
    }
}
