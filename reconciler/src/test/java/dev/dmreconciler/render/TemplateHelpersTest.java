package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.source.DirectoryTree;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The {@code dmr} helpers, called from real templates through the sandboxed engine. */
class TemplateHelpersTest {

    @TempDir
    Path dir;
    private TestRepo repo;
    private final Map<String, Object> model = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        repo = TestRepo.empty(dir);
        model.put("tricky", tricky());
        model.put("config", Map.of("b", 1, "a", List.of("x", "y"))); // an unordered map: sorted on output
    }

    private static Map<String, Object> tricky() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("umask", "0022");
        m.put("version", "3.10");
        m.put("flag", "yes");
        m.put("go", "y");
        m.put("nothing", "null");
        m.put("tilde", "~");
        m.put("colon", "a: b");
        m.put("url", "http://x:80/p");
        m.put("hash", "# not a comment");
        m.put("empty", "");
        m.put("spaces", " padded ");
        m.put("home", "${HOME}");
        m.put("multi", "line one\nline two\n");
        m.put("number", 3);
        m.put("decimal", 2.0);
        m.put("bool", true);
        m.put("list", List.of("a", Map.of("k", "v")));
        m.put("emptyList", List.of());
        m.put("emptyMap", Map.of());
        m.put("unicode", "grüße ✓");
        m.put("control", "bell\u0007");
        return m;
    }

    private String render(String template) {
        repo.write("templates/t/t.ftl", template);
        return new TemplateEngine(new DirectoryTree(dir)).render("templates/t/t.ftl", model);
    }

    private String error(String template) {
        TemplateEngine.TemplateError e = assertThrows(TemplateEngine.TemplateError.class, () -> render(template));
        assertFalse(e.getMessage().matches("(?s).*(freemarker\\.|java\\.|Simple[A-Z]|Adapter|Exception).*"),
                e.getMessage());
        return e.getMessage();
    }

    private static Object parse(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    @Test
    void toYamlRoundTripsEveryTrickyValueUnchanged() {
        String text = render("${dmr.toYaml(tricky)}");
        Map<String, Object> expected = new LinkedHashMap<>(tricky());
        expected.put("decimal", 2.0);
        assertEquals(expected, parse(text), text);
        assertTrue(text.contains("umask: '0022'") || text.contains("umask: \"0022\""), text);
        assertTrue(text.contains("go: \"y\""), text);
        assertTrue(text.contains("multi: |\n  line one\n  line two\n"), text);
        assertTrue(text.contains("list:\n  - a\n  - k: v"), text);
        assertTrue(text.contains("decimal: 2.0"), text);
        assertTrue(text.contains("unicode: grüße ✓"), text);
    }

    @Test
    void toYamlIndentsLinesAfterTheFirstAndEndsWithoutNewline() {
        String text = render("data:\n  config.yaml: |\n    ${dmr.toYaml(config, 4)}\nnext: 1\n");
        assertEquals("data:\n  config.yaml: |\n    a:\n      - x\n      - \"y\"\n    b: 1\nnext: 1\n", text);
        Map<?, ?> parsed = (Map<?, ?>) parse(text);
        assertEquals(Map.of("a", List.of("x", "y"), "b", 1), parse((String) ((Map<?, ?>) parsed.get("data")).get("config.yaml")));
    }

    @Test
    void toYamlKeepsTheSourceOrderOfOrderedMapsAndHashLiterals() {
        assertEquals("z: 1\na: 2", render("${dmr.toYaml({\"z\": 1, \"a\": 2})}"));
        assertEquals("umask", render("${dmr.toYaml(tricky)}").lines().findFirst().orElseThrow().split(":")[0]);
    }

    @Test
    void toYamlOfScalarsAndEmptyCollections() {
        assertEquals("'0022'", render("${dmr.toYaml(\"0022\")}"));
        assertEquals("3", render("${dmr.toYaml(3)}"));
        assertEquals("1.5", render("${dmr.toYaml(1.5)}"));
        assertEquals("true", render("${dmr.toYaml(true)}"));
        assertEquals("{}", render("${dmr.toYaml({})}"));
        assertEquals("[]", render("${dmr.toYaml([])}"));
        assertEquals("labels: {}", render("labels: ${dmr.toYaml({})}"));
    }

    @Test
    void toJsonIsCompactAndOrdered() {
        assertEquals("{\"a\":[\"x\",\"y\"],\"b\":1}", render("${dmr.toJson(config)}"));
        assertEquals("[1,2.5,true,\"0022\"]", render("${dmr.toJson([1, 2.5, true, \"0022\"])}"));
        assertEquals("\"bell\\u0007\\n\"", render("${dmr.toJson(\"bell\\x0007\\n\")}"));
    }

    @Test
    void toPrettyJsonIndents() {
        assertEquals("{\n  \"a\": [\n    \"x\",\n    \"y\"\n  ],\n  \"b\": 1\n}", render("${dmr.toPrettyJson(config)}"));
        assertEquals("x: |\n  {\n    \"k\": \"v\"\n  }", render("x: |\n  ${dmr.toPrettyJson({\"k\": \"v\"}, 2)}"));
    }

    @Test
    void quoteGivesAJsonLiteralThatYamlReadsBack() {
        String text = render("a: ${dmr.quote(tricky.home)}\nb: ${dmr.quote(tricky.multi)}\nc: ${dmr.quote(4)}\n"
                + "d: ${dmr.quote(tricky.control)}\ne: ${dmr.quote(tricky.colon)}\n");
        assertEquals(Map.of("a", "${HOME}", "b", "line one\nline two\n", "c", "4", "d", "bell\u0007", "e", "a: b"),
                parse(text));
        assertTrue(error("${dmr.quote([1])}").contains("dmr.quote: expected a string but got a list"));
    }

    @Test
    void secondsAcceptsUnitsCombinationsAndADefaultUnit() {
        assertEquals("172800", render("${dmr.seconds(\"2\", \"d\")}"));
        assertEquals("172800", render("${dmr.seconds(2, \"d\")}"));
        assertEquals("2", render("${dmr.seconds(\"2\")}"));
        assertEquals("172800", render("${dmr.seconds(\"2d\")}"));
        assertEquals("10800", render("${dmr.seconds(\"3h\")}"));
        assertEquals("1800", render("${dmr.seconds(\"30m\")}"));
        assertEquals("10", render("${dmr.seconds(\"10s\")}"));
        assertEquals("129600", render("${dmr.seconds(\"1d12h\")}"));
        assertEquals("5400", render("${dmr.seconds(\"1h 30m\")}"));
        assertEquals("5400", render("${dmr.seconds(\"1.5h\")}"));
        assertEquals("604800", render("${dmr.seconds(\"1w\")}"));
        assertEquals("0", render("${dmr.seconds(\"0\")}"));
        assertEquals("43200", render("${dmr.seconds(0.5, \"d\")}"));
        assertEquals("3600", render("${dmr.seconds(\" 1h \", \"d\")}"));
    }

    @Test
    void secondsRejectsBadInputNamingTheValue() {
        assertTrue(error("${dmr.seconds(\"2x\")}").contains("\"2x\" is not a duration: unknown unit \"x\""));
        assertTrue(error("${dmr.seconds(\"two days\")}").contains("\"two days\" is not a duration"));
        assertTrue(error("${dmr.seconds(\"\")}").contains("the duration is empty"));
        assertTrue(error("${dmr.seconds(\"-1h\")}").contains("is not a duration"));
        assertTrue(error("${dmr.seconds(-1)}").contains("negative"));
        assertTrue(error("${dmr.seconds(\"1h30\")}").contains("only a single bare number may omit the unit"));
        assertTrue(error("${dmr.seconds(\"1.5s\")}").contains("not a whole number of seconds"));
        assertTrue(error("${dmr.seconds(\"2\", \"days\")}").contains("default unit \"days\" is not one of"));
        assertTrue(error("${dmr.seconds([1])}").contains("but got a list"));
        assertTrue(error("${dmr.seconds()}").contains("dmr.seconds(duration[, defaultUnit]) got 0 arguments"));
    }

    @Test
    void intConvertsWholeNumbersOnly() {
        assertEquals("4", render("${dmr.int(\"4\")}"));
        assertEquals("4", render("${dmr.int(4.0)}"));
        assertEquals("5", render("${dmr.int(\" 5 \") }"));
        assertEquals("-3", render("${dmr.int(-3)}"));
        assertEquals("8", render("${dmr.int(\"4\") * 2}"));
        assertTrue(error("${dmr.int(4.5)}").contains("dmr.int: 4.5 is not a whole number"));
        assertTrue(error("${dmr.int(\"four\")}").contains("\"four\" is not a whole number"));
        assertTrue(error("${dmr.int(true)}").contains("expected a whole number but got a boolean"));
    }

    @Test
    void quantityWritesTheApiServersCanonicalForm() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("4", "4");
        cases.put("0.5", "500m");
        cases.put("\"4Gi\"", "4Gi");
        cases.put("\"1.5Gi\"", "1536Mi");
        cases.put("\"0.5Gi\"", "512Mi");
        cases.put("\"1024Mi\"", "1Gi");
        cases.put("\"1000m\"", "1");
        cases.put("\"1500m\"", "1500m");
        cases.put("\"2000\"", "2k");
        cases.put("\"100Mi\"", "100Mi");
        cases.put("\"512Ki\"", "512Ki");
        cases.put("\"0.1\"", "100m");
        cases.put("\"1e3\"", "1e3");
        cases.put("\"1E6\"", "1e6");
        cases.put("\"0\"", "0");
        cases.put("\"250m\"", "250m");
        cases.put("\".5\"", "500m");
        cases.put("\"0.5Ki\"", "512");
        cases.put("\"1n\"", "1n");
        cases.put("\"0.0000000001\"", "1n");
        cases.put("1.5", "1500m");
        cases.put("\" 2 \"", "2");
        cases.forEach((input, expected) ->
                assertEquals(expected, render("${dmr.quantity(" + input + ")}"), "dmr.quantity(" + input + ")"));
        assertTrue(error("${dmr.quantity(\"4GB\")}").contains("\"4GB\" is not a Kubernetes quantity"));
        assertTrue(error("${dmr.quantity(\"\")}").contains("is not a Kubernetes quantity"));
        assertTrue(error("${dmr.quantity(\"1 Gi\")}").contains("is not a Kubernetes quantity"));
        assertTrue(error("${dmr.quantity({})}").contains("but got a map"));
    }

    @Test
    void hashIsStableAcrossKeyOrderAndChangesWithContent() {
        String a = render("${dmr.hash({\"a\": 1, \"b\": [\"x\"]})}");
        assertEquals(16, a.length());
        assertTrue(a.matches("[0-9a-f]{16}"), a);
        assertEquals(a, render("${dmr.hash({\"b\": [\"x\"], \"a\": 1})}"));
        assertNotEquals(a, render("${dmr.hash({\"a\": 2, \"b\": [\"x\"]})}"));
        assertEquals(Names.sha256("{\"a\":1,\"b\":[\"x\"]}").substring(0, 16), a);
        assertEquals(Names.sha256("[\"x\",1]").substring(0, 16), render("${dmr.hash(\"x\", 1)}"));
        assertNotEquals(render("${dmr.hash(\"x\", \"y\")}"), render("${dmr.hash(\"xy\")}"));
        assertEquals(render("${dmr.hash(config)}"), render("${dmr.hash({\"b\": 1, \"a\": [\"x\", \"y\"]})}"));
    }

    @Test
    void hashOfCapturedOutputRollsADeploymentWhenTheConfigChanges() {
        repo.write("templates/t/config.ftl", "port: ${config.b}\n");
        String first = render("<#assign text><#include \"config.ftl\"></#assign>checksum: ${dmr.hash(text)}");
        model.put("config", Map.of("b", 2, "a", List.of()));
        assertNotEquals(first, render("<#assign text><#include \"config.ftl\"></#assign>checksum: ${dmr.hash(text)}"));
    }

    @Test
    void dnsNameSanitisesAndTruncatesWithAHashSuffix() {
        assertEquals("my-app-v2", render("${dmr.dnsName(\"My_App.v2\")}"));
        assertEquals("abc", render("${dmr.dnsName(\"--abc--\")}"));
        assertEquals("user-1-jupyter", render("${dmr.dnsName(\"User 1 (jupyter)\")}"));
        assertEquals("a-b", render("${dmr.dnsName(\"a  .. b\")}"));
        assertEquals("42", render("${dmr.dnsName(42)}"));
        String longName = "a".repeat(40) + "-" + "b".repeat(40);
        String cut = render("${dmr.dnsName(\"" + longName + "\")}");
        assertEquals(63, cut.length());
        assertTrue(cut.matches("a{40}-b{13}-[0-9a-f]{8}"), cut);
        String other = render("${dmr.dnsName(\"" + longName + "c\")}");
        assertNotEquals(cut, other);
        String short20 = render("${dmr.dnsName(\"" + "x".repeat(11) + "-" + "y".repeat(20) + "\", 20)}");
        assertTrue(short20.matches("x{11}-[0-9a-f]{8}"), short20); // the "-" before the cut is dropped
        assertEquals("a".repeat(63), render("${dmr.dnsName(\"" + "a".repeat(63) + "\")}"));
        assertTrue(error("${dmr.dnsName(\"__\")}").contains("has no letter or digit"));
        assertTrue(error("${dmr.dnsName(\"a\", 5)}").contains("maximum length 5 is not between 10 and 63"));
        assertTrue(error("${dmr.dnsName(\"a\", 64)}").contains("not between 10 and 63"));
    }

    @Test
    void labelsGivesTheStandardSet() {
        String text = render("${dmr.toYaml(dmr.labels(\"cellxgene\", \"main\"))}\nname: ${dmr.labels(\"a\", \"b\")[\"app.kubernetes.io/name\"]}");
        assertEquals("app.kubernetes.io/name: cellxgene\napp.kubernetes.io/instance: main\n"
                + "app.kubernetes.io/managed-by: dm-reconciler\napp.kubernetes.io/part-of: cellxgene\nname: a", text);
        assertTrue(error("${dmr.labels(\"a\", \"bad name\")}").contains("instance name \"bad name\" is not a valid label value"));
        assertTrue(error("${dmr.labels(\"a\")}").contains("dmr.labels(application, instance) got 1 argument"));
    }

    @Test
    void labelsMacroFileIsImportedFromTheSharedFolder() {
        repo.write("templates/_lib/labels.ftl", read("templates/_lib/labels.ftl"));
        String text = render("<#import \"/lib/labels.ftl\" as l>\nmetadata:\n  labels:\n    "
                + "<@l.labels app=\"geddes-app\" instance=\"g1\" indent=4 extra={\"tier\": \"web\"}/>\n"
                + "selector:\n  <@l.selector app=\"geddes-app\" instance=\"g1\" indent=2/>\n");
        assertEquals("metadata:\n  labels:\n    app.kubernetes.io/name: geddes-app\n    app.kubernetes.io/instance: g1\n"
                + "    app.kubernetes.io/managed-by: dm-reconciler\n    app.kubernetes.io/part-of: geddes-app\n"
                + "    tier: web\nselector:\n  app.kubernetes.io/name: geddes-app\n  app.kubernetes.io/instance: g1\n",
                text);
    }

    @Test
    void sharedFolderIsReachableOnlyThroughTheAliasAndStaysInside() {
        repo.write("templates/_lib/m.ftl", "<#macro hi>hi</#macro>");
        repo.write("environments/env.yaml", "secret: x\n");
        assertEquals("hi", render("<#import \"/lib/m.ftl\" as m><@m.hi/>"));
        assertEquals("hi", render("<#import \"/templates/_lib/m.ftl\" as m><@m.hi/>"));
        assertTrue(error("<#include \"/lib/../environments/env.yaml\">").contains("not found"));
        assertTrue(error("<#include \"/lib/../../environments/env.yaml\">").contains("environments"));
        TemplateEngine.TemplateError e = assertThrows(TemplateEngine.TemplateError.class,
                () -> render("<#import \"/lib/broken.ftl\" as b>"));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void errorsInsideASharedMacroNameTheRepositoryFile() {
        repo.write("templates/_lib/bad.ftl", "<#macro m>\n${undefinedThing}\n</#macro>");
        TemplateEngine.TemplateError e = assertThrows(TemplateEngine.TemplateError.class,
                () -> render("<#import \"/lib/bad.ftl\" as b><@b.m/>"));
        assertEquals("templates/_lib/bad.ftl:2", e.where());
    }

    @Test
    void rawIncludeAndNoparseKeepDollarBracesLiteral() {
        repo.write("templates/t/pasted.conf", "home=${HOME}\n<#if>broken</#if>\n");
        assertEquals("home=${HOME}\n<#if>broken</#if>\n", render("<#include \"pasted.conf\" parse=false>"));
        assertEquals("x: ${HOME}", render("<#noparse>x: ${HOME}</#noparse>"));
        assertEquals("x: ${HOME}", render("x: ${r\"${HOME}\"}"));
        assertEquals(Map.of("x", "${HOME}"), parse(render("x: ${dmr.quote(tricky.home)}")));
    }

    @Test
    void helpersExposeNoJavaObjects() {
        assertTrue(error("${dmr?api}").toLowerCase().contains("api"));
        assertTrue(error("${dmr.labels(\"a\", \"b\")?api}").toLowerCase().contains("api"));
        assertTrue(error("${dmr.toYaml.class}").contains("toYaml"));
        assertTrue(error("${dmr.nope(1)}").contains("nope"));
        assertTrue(error("${dmr.toYaml(dmr.toYaml)}").contains("expected a string, number, boolean, list or map but got a function"));
    }

    @Test
    void readmeExampleRendersValidKubernetesYaml() throws java.io.IOException {
        String readme = read("README.md");
        int start = readme.indexOf("```ftl\n<#import \"/lib/labels.ftl\"") + 7;
        String template = readme.substring(start, readme.indexOf("```", start));
        repo.write("templates/_lib/labels.ftl", read("templates/_lib/labels.ftl"));
        model.put("app", Map.of("name", "pygeoapi-k8s-manager"));
        model.put("instance", Map.of("name", "geo-main", "namespace", "geo"));
        model.put("pg_port", 5000);
        model.put("pg_umask", "0022");
        model.put("cpu", 0.5);
        model.put("memory", "1Gi");
        model.put("allocation_time", "2");
        String text = render(template);
        List<Map<String, Object>> documents = ManifestReader.read(text);
        assertEquals(2, documents.size());
        Map<?, ?> config = (Map<?, ?>) parse((String) ((Map<?, ?>) documents.get(1).get("data")).get("config.yaml"));
        assertEquals(Map.of("port", 5000, "umask", "0022"), config);
        assertTrue(text.contains("activeDeadlineSeconds: 172800"), text);
        assertTrue(text.contains("limits: {cpu: \"500m\", memory: \"1Gi\"}"), text);
        assertTrue(text.contains("      app.kubernetes.io/instance: geo-main\n  template:"), text);
    }

    private static String read(String path) {
        try {
            return java.nio.file.Files.readString(TestRepo.projectRoot().resolve(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
