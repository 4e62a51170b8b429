package dev.dmreconciler.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The variable typing table, one row per case: what a value written in a parameter file becomes for each
 * declared type (string-preserving where text is declared; YAML 1.1 as Ansible's PyYAML reads it for untyped
 * values), element types, deep merge across layers, list separators and key collisions.
 */
class VariableTypingTest {

    private static Node node(String yaml) {
        MappingNode root = (MappingNode) new Yaml().compose(new StringReader("v: " + yaml));
        return root.getValue().get(0).getValueNode();
    }

    private static Object read(String type, String yaml) {
        String[] parts = type.split(" of ");
        return Values.read(node(yaml), VarType.parse(parts[0]), parts.length > 1 ? VarType.parse(parts[1]) : null, k -> null);
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // string: the text exactly as written
                Arguments.of("string", "0022", "0022"),
                Arguments.of("string", "1e3", "1e3"),
                Arguments.of("string", "3.10", "3.10"),
                Arguments.of("string", "19.20", "19.20"),
                Arguments.of("string", "yes", "yes"),
                Arguments.of("string", "on", "on"),
                Arguments.of("string", "No", "No"),
                Arguments.of("string", "'8888'", "8888"),
                Arguments.of("string", "8888", "8888"),
                Arguments.of("string", "0x1F", "0x1F"),
                Arguments.of("string", "1_000", "1_000"),
                Arguments.of("string", ".inf", ".inf"),
                Arguments.of("string", "2026-01-02", "2026-01-02"),
                Arguments.of("string", "\"\"", ""),
                Arguments.of("string", "~", ""),
                Arguments.of("string", "''", ""),
                // integer
                Arguments.of("integer", "8080", 8080L),
                Arguments.of("integer", "'8080'", 8080L),
                Arguments.of("integer", "1_000", 1000L),
                Arguments.of("integer", "0022", 22L),
                Arguments.of("integer", "-3", -3L),
                // boolean: Ansible's words
                Arguments.of("boolean", "yes", true),
                Arguments.of("boolean", "On", true),
                Arguments.of("boolean", "'true'", true),
                Arguments.of("boolean", "1", true),
                Arguments.of("boolean", "no", false),
                Arguments.of("boolean", "OFF", false),
                Arguments.of("boolean", "'0'", false),
                // untyped: YAML 1.1 as PyYAML (Ansible) reads it, except a leading-zero integer keeps its text
                Arguments.of("any", "0022", "0022"),
                Arguments.of("any", "'0022'", "0022"),
                Arguments.of("any", "22", 22L),
                Arguments.of("any", "1e3", "1e3"),
                Arguments.of("any", "1.0e3", "1.0e3"),
                Arguments.of("any", "1.5e+3", 1500.0),
                Arguments.of("any", "3.10", 3.1),
                Arguments.of("any", "yes", true),
                Arguments.of("any", "on", true),
                Arguments.of("any", "'yes'", "yes"),
                Arguments.of("any", "~", null),
                Arguments.of("any", "null", null),
                Arguments.of("any", "2026-01-02", "2026-01-02"),
                // element types
                Arguments.of("list of string", "[0022, 1e3, yes, on, 3.10, 8888]", List.of("0022", "1e3", "yes", "on", "3.10", "8888")),
                Arguments.of("list of integer", "[1, '2', 0022]", List.of(1L, 2L, 22L)),
                Arguments.of("list of boolean", "[yes, off, 'true']", List.of(true, false, true)),
                Arguments.of("list", "[0022, yes, 3.10]", List.of("0022", true, 3.1)),
                Arguments.of("map of string", "{a: 0022, b: on, c: 1e3}", map("a", "0022", "b", "on", "c", "1e3")),
                Arguments.of("map of integer", "{a: 1, b: '2'}", map("a", 1L, "b", 2L)),
                Arguments.of("map", "{a: 0022, b: on, c: {d: 3.10}}", map("a", "0022", "b", true, "c", map("d", 3.1))),
                Arguments.of("map of string", "{a: x, b: ~}", map("a", "x", "b", null)),
                // keys are text: a key written `on`, `1` or `0022` is that text, never true / 1 / 22
                Arguments.of("map of string", "{on: a, 1: b, 0022: c, yes: d}", map("on", "a", "1", "b", "0022", "c", "yes", "d")),
                Arguments.of("map", "{on: a, 3.10: b}", map("on", "a", "3.10", "b")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("table")
    void valuesAreTypedAsDeclared(String type, String yaml, Object expected) {
        Object value = read(type, yaml);
        assertEquals(expected, value, type + " " + yaml);
        if (expected instanceof String || expected instanceof Long || expected instanceof Double || expected instanceof Boolean) {
            assertEquals(expected.getClass(), value.getClass(), "Java type of " + yaml); // "8888" is not 8888
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            string          | [a]                       | expected a string, got a list
            string          | {a: b}                    | expected a string, got a mapping
            integer         | 1e3                       | expected an integer, got '1e3'
            integer         | 3.0                       | expected an integer, got '3.0'
            integer         | yes                       | expected an integer, got 'yes'
            integer         | ~                         | expected an integer, got nothing (null)
            boolean         | maybe                     | expected a boolean (yes/no/true/false), got 'maybe'
            boolean         | ~                         | expected a boolean (yes/no/true/false), got nothing (null)
            list            | a,b                       | expected a list, got 'a,b'
            map             | [a]                       | expected a mapping, got a list
            list of integer | [1, x]                    | [1]: expected an integer, got 'x'
            map of string   | {HOME: [a]}               | .HOME: expected a string, got a list
            map of string   | {a: 1, 'a': 2}            | key 'a' appears twice
            map of string   | {1: a, '1': b}            | key '1' appears twice
            map             | {on: a, 'on': b}          | key 'on' appears twice
            """)
    void wrongValuesAreErrorsNamingThePathInside(String type, String yaml, String message) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(type, yaml));
        assertTrue(error.getMessage().contains(message), error.getMessage());
    }

    static Stream<Arguments> merges() {
        return Stream.of(
                Arguments.of(map("a", 1L), map("b", 2L), map("a", 1L, "b", 2L)),
                Arguments.of(map("a", map("x", 1L, "y", 2L)), map("a", map("y", 3L)), map("a", map("x", 1L, "y", 3L))),
                Arguments.of(map("a", map("b", map("c", 1L, "d", 2L))), map("a", map("b", map("d", 4L, "e", 5L))),
                        map("a", map("b", map("c", 1L, "d", 4L, "e", 5L)))),
                Arguments.of(map("a", List.of(1L, 2L)), map("a", List.of(3L)), map("a", List.of(3L))),
                Arguments.of(map("a", map("x", 1L)), map("a", "flat"), map("a", "flat")),
                Arguments.of(map("a", "flat"), map("a", map("x", 1L)), map("a", map("x", 1L))),
                Arguments.of(map("a", 1L, "b", 2L), map("b", null), map("a", 1L)),
                Arguments.of(map("a", map("x", 1L, "y", 2L)), map("a", map("x", null)), map("a", map("y", 2L))),
                Arguments.of(map("a", 1L), map("z", null, "n", map("m", null)), map("a", 1L, "n", map())),
                Arguments.of("lower", "higher", "higher"),
                Arguments.of(map("a", 1L), List.of(1L), List.of(1L)));
    }

    @ParameterizedTest(name = "{0} < {1}")
    @MethodSource("merges")
    void deepMergeMergesMapsKeyByKeyReplacesTheRestAndNullDeletes(Object lower, Object higher, Object expected) {
        assertEquals(expected, Values.merge(lower, higher));
    }

    @ParameterizedTest(name = "''{1}'' split by {0}")
    @CsvSource(delimiter = '|', textBlock = """
            [:,]   | a:b                    | a;b
            [:,]   | a,b                    | a;b
            [:,]   | ' a , b ,, c '         | a;b;c
            [:,]   | a:b,c                  | a;b;c
            [:,]   | ''                     | 
            [;\\s]+ | 'a; b  c'              | a;b;c
            ,      | a:b,c                  | a:b;c
            """)
    void listValuedVariablesSplitOnTheBundlesSeparator(String separator, String text, String expected) {
        Bundle bundle = new Bundle("b", "f", "", "b_", null, null, separator, null, null, "SetMe", List.of(), Map.of(),
                List.of(), List.of(), "environment", "instance", BundleSecrets.NONE);
        assertEquals(expected == null ? List.of() : List.of(expected.split(";")), bundle.splitList(text == null ? "" : text));
    }
}
