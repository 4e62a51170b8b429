package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@link BlockYaml} must write exactly what SnakeYAML (as {@link Manifests} configures it) writes, or decline.
 * Compared on every document of the golden outputs, on hand-picked hard scalars, and on generated documents.
 */
class BlockYamlTest {

    private static final Yaml SNAKE = Manifests.yaml();

    /** The same text as SnakeYAML, or null when the fast writer declines (the output is then left untouched). */
    private static String fast(Map<?, ?> body) {
        StringBuilder out = new StringBuilder("prefix");
        if (!BlockYaml.write(body, out)) {
            assertEquals("prefix", out.toString(), "a declined document leaves the output as it was");
            return null;
        }
        String text = out.substring("prefix".length());
        assertEquals(SNAKE.dump(body), text, () -> "differs from SnakeYAML for " + body);
        return text;
    }

    @Test
    void everyGoldenDocumentIsWrittenByTheFastWriterAsSnakeYamlWritesIt() throws IOException {
        Path golden = TestRepo.projectRoot().resolve("reconciler/src/test/resources/golden");
        Yaml reader = new Yaml(new SafeConstructor(new LoaderOptions()));
        int documents = 0;
        int declined = 0;
        try (Stream<Path> files = Files.list(golden)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : reader.loadAll(Files.readString(file))) {
                    if (document instanceof Map<?, ?> body) {
                        documents++;
                        if (fast(body) == null) {
                            declined++;
                        }
                    }
                }
            }
        }
        assertTrue(documents > 50, "the golden files hold the example environments' objects: " + documents);
        assertEquals(0, declined, "every golden document is in the fast writer's range");
    }

    @Test
    void theBenchmarkedExampleRendersThroughTheFastWriterWithTheGoldenText() throws IOException {
        String text = Files.readString(TestRepo.projectRoot().resolve("reconciler/src/test/resources/golden/example.yaml"));
        Yaml reader = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<RenderedObject> objects = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (String chunk : text.split("(?m)^---\n")) {
            if (chunk.isEmpty()) {
                continue;
            }
            String header = chunk.substring(0, chunk.indexOf('\n'));
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) reader.load(chunk);
            assertTrue(header.startsWith("# Source: "), header);
            String source = header.substring("# Source: ".length());
            String namespace = null;
            int open = source.indexOf(" (namespace ");
            if (open >= 0) {
                namespace = source.substring(open + " (namespace ".length(), source.length() - 1);
                source = source.substring(0, open);
            }
            objects.add(new RenderedObject(ObjectKey.of(body), body, "app", source, namespace));
            expected.append("---\n").append(chunk);
            assertTrue(BlockYaml.write(body, new StringBuilder()), "fast path for " + header);
        }
        assertFalse(objects.isEmpty());
        assertEquals(expected.toString(), Manifests.toYaml(objects));
    }

    @Test
    void hardScalarsAreQuotedOrDeclinedAsSnakeYamlWouldWriteThem() {
        List<Object> values = new ArrayList<>(List.of("", " ", "a", "yes", "Yes", "no", "on", "off", "y", "n", "true",
                "null", "Null", "~", "0", "00", "0123", "01_2", "0x1F", "0o17", "Y", "N", "0X1F", "0B11", "0O17", "-0o7", "+0XaF", "1_000", "1.5", ".5", "1e3", "1.0e+3", "-1",
                "+1", "-", "--", "---", "--- a", "...", "... a", "-a", "- a", "?", "?a", "? a", ":", ":a", ": a", "a:",
                "a:b", "a: b", "a :b", "#", "#a", "a#b", "a #b", "a# b", "'", "'a'", "a'b", "\"", "a\"b", "a,b", "[a]",
                "{a}", "a[b]", "&a", "*a", "!a", "|a", ">a", "%a", "@a", "`a", "<<", "=", "a=b", "2001-12-14",
                "2001-12-14t21:59:43.10-05:00", "12:30:00", "1:20", "a b", "a  b", " a", "a ", "a\tb", "é", "a\rb",
                "\u0085", "a\nb", "a\nb\n", "a\n\nb", "a\nb\n\n", "\n", "\na", " a\nb", "a\n b", "a \nb", "a\n\n",
                "a\nb ", "a:\nb", "#!/bin/sh\nexec x\n", "- a\n- b\n", "'quoted'\n", "x".repeat(99), "x".repeat(101),
                1, -7, 123456789012L, new BigInteger("123456789012345678901234567890"), 0.5, 1e10, -2.5e-7, 3.0,
                Double.NaN, Double.POSITIVE_INFINITY, 1.5f, true, false, new Date(0), Set.of("a"), new byte[] {1}));
        values.add(null);
        int written = 0;
        for (Object value : values) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", value);
            body.put("list", new ArrayList<>(java.util.Arrays.asList(value, value)));
            body.put("nested", new LinkedHashMap<>(Map.of("k", new ArrayList<>(java.util.Collections.singletonList(value)))));
            if (value instanceof String text) {
                body.put(text, "as a key");
            }
            if (fast(body) != null) {
                written++;
            }
        }
        assertTrue(written > values.size() / 2, "most hard scalars are in the fast writer's range: " + written);
    }

    /**
     * kubectl, Argo CD and Flux read manifests with go-yaml, which takes {@code y}/{@code n} as booleans and hands plain
     * scalars to Go's {@code ParseInt(s, 0, 64)} ({@code 0X1F}, {@code 0o17}); SnakeYAML's YAML 1.1 resolver does not,
     * and printed them plain: kubectl then sent {@code true} or {@code 15} for a string field (and the API server
     * refused a string field's apply). Both writers quote them now, as values and as keys.
     */
    @Test
    void stringsGoYamlReadsAsBooleansOrIntegersAreQuotedByBothWriters() {
        for (String text : List.of("y", "Y", "n", "N", "0o17", "0O17", "0X1F", "0B11", "-0o7", "+0B1_0", "0x1F", "yes")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", text);
            body.put(text, "key");
            assertEquals("value: '" + text + "'\n'" + text + "': key\n", fast(body), text);
        }
        for (String text : List.of("yy", "no-", "0o", "0x", "0xg", "o17", "x1F", "0.5e3x")) {
            assertEquals("value: " + text + "\n", fast(Map.of("value", text)), text + " stays plain");
        }
    }

    @Test
    void aCollectionThatOccursTwiceIsLeftToSnakeYamlsAnchors() {
        Map<String, Object> labels = new LinkedHashMap<>(Map.of("app", "web"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("labels", labels);
        body.put("selector", labels);
        assertEquals(null, fast(body));
        assertTrue(Manifests.toYaml(body).contains("&id001"), "SnakeYAML's anchor is kept");
    }

    @Test
    void nonStringKeysAndOtherTypesAreDeclined() {
        Map<Object, Object> body = new LinkedHashMap<>();
        body.put(1, "one");
        assertEquals(null, fast(body));
        assertEquals("{}\n", fast(new LinkedHashMap<>()));
    }

    /** Random documents from pieces that trip YAML writers; every one the fast writer takes must match exactly. */
    @Test
    void generatedDocumentsMatchSnakeYamlByteForByte() {
        Random random = new Random(20261122);
        int written = 0;
        int literals = 0;
        int stripped = 0;
        int quoted = 0;
        Set<String> shapes = new TreeSet<>();
        for (int i = 0; i < 4000; i++) {
            Map<String, Object> body = map(random, 0);
            String text = fast(body);
            if (text != null) {
                written++;
                literals += text.contains("|\n") ? 1 : 0;
                stripped += text.contains("|-\n") ? 1 : 0;
                quoted += text.contains("'") ? 1 : 0;
                shapes.add(text.replaceAll("[^-:|\\n ]", "").replace("\n", "/"));
            }
        }
        assertTrue(literals > 100 && stripped > 100 && quoted > 500,
                "literal blocks " + literals + " and " + stripped + " (|-), quoted scalars " + quoted);
        assertTrue(written > 1000, "many generated documents are in the fast writer's range: " + written);
        assertTrue(shapes.size() > 500, "the documents have many shapes: " + shapes.size());
    }

    private static final String[] PIECES = {"a", "b", "web", "x-y", "1", "0", "07", "1.5", "e3", "yes", "no", "null", "~",
        "true", " ", " ", "  ", ":", ": ", "-", "- ", "#", " #", "'", "\"", ",", "[", "]", "{", "}", "?", "!", "&", "*",
        "|", ">", "%", "@", "`", "\n", "\n", "\n\n", "---", "...", "<<", "=", "/", ".", "_", "\t", "é", "2001-12-14"};

    private static String string(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static Object value(Random random, int depth) {
        int pick = random.nextInt(depth > 3 ? 7 : 10);
        return switch (pick) {
            case 0, 1, 2 -> string(random);
            case 3 -> random.nextInt(2000) - 1000;
            case 4 -> random.nextBoolean() ? random.nextBoolean() : null;
            case 5 -> random.nextInt(4) == 0 ? random.nextDouble() * 100
                    : "multi\nline " + string(random) + (random.nextBoolean() ? "\n" : "");
            case 6 -> random.nextBoolean() ? new LinkedHashMap<>() : new ArrayList<>();
            case 7, 8 -> map(random, depth + 1);
            default -> list(random, depth + 1);
        };
    }

    private static Map<String, Object> map(Random random, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        int size = 1 + random.nextInt(4);
        for (int i = 0; i < size; i++) {
            String key = random.nextInt(3) == 0 ? string(random) : "k" + i;
            map.put(key, value(random, depth));
        }
        return map;
    }

    private static List<Object> list(Random random, int depth) {
        List<Object> list = new ArrayList<>();
        int size = 1 + random.nextInt(3);
        for (int i = 0; i < size; i++) {
            list.add(value(random, depth));
        }
        return list;
    }
}
