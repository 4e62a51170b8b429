package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dmreconciler.TestRepo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code bin/reconciler schema}: the table, and JSON Schemas checked the way an editor would use them — every
 * example environment and instance file of the repository validates, and typical mistakes do not. The check
 * below implements the keywords the schemas use (type, enum, pattern, anyOf, properties, required,
 * additionalProperties, items, $ref), so a schema that accepted everything would fail the negative cases.
 */
class SchemaCommandTest {

    private static final Path ROOT = TestRepo.projectRoot();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String... args) throws IOException {
        String[] result = run(args);
        assertEquals("0", result[0], result[2]);
        return JSON.readValue(result[1], Map.class);
    }

    @Test
    void theTableShowsNameTypeDefaultFlagsAndDescription() {
        String[] result = run("schema", "--repo", ROOT.toString(), "--app", "maiakubegate");
        assertEquals("0", result[0], result[2]);
        String text = result[1];
        assertTrue(text.startsWith("maiakubegate (templates/maiakubegate/bundle.yaml): "), text);
        assertTrue(text.contains("  VARIABLE "), text);
        assertTrue(Pattern.compile("\\n  user_secret +list of string +\\[] +Names of existing Secrets").matcher(text).find(), text);
        assertTrue(Pattern.compile("\\n  chart_name +string +\\S+ +[a-z,-]*instance-name").matcher(text).find(), text);
        assertTrue(Pattern.compile("\\n  namespace +string +\\S+ +[a-z,-]*namespace").matcher(text).find(), text);
    }

    @Test
    void secretDefaultsAreNeverPrinted() throws IOException {
        Path repo = Files.createTempDirectory("schema");
        TestRepo.empty(repo).write("templates/s/bundle.yaml", """
                name: s
                prefix: s_
                templates: []
                variables:
                  s_token: {default: hunter2-default-token, secret: true, description: API token}
                  s_port: {type: integer, default: 8080, required: true}
                """);
        String[] text = run("schema", "--repo", repo.toString());
        assertFalse(text[1].contains("hunter2"), text[1]);
        assertTrue(text[1].contains("<redacted>"), text[1]);
        String[] json = run("schema", "--repo", repo.toString(), "--app", "s", "-o", "json");
        assertFalse(json[1].contains("hunter2"), json[1]);
        assertTrue(json[1].contains("\"writeOnly\" : true"), json[1]);
    }

    static Stream<String> environmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("environments"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("environmentFiles")
    void everyExampleEnvironmentValidatesAgainstItsSchema(String file) throws IOException {
        // an inline !vault value is a string to an editor (yaml-language-server: customTags "!vault scalar")
        Object document = new Yaml(new LoaderOptions()).load(Files.readString(ROOT.resolve("environments").resolve(file))
                .replace("!vault |", "|"));
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) document;
        Map<String, Object> schema;
        if (values.containsKey("applications")) {
            schema = schema("schema", "--repo", ROOT.toString(), "-o", "json");
        } else { // Ansible form: the Jupyter operator's parameter file
            schema = schema("schema", "--repo", ROOT.toString(), "--app", "jupyter-operator", "-o", "json");
        }
        assertEquals(List.of(), Check.errors(schema, document), file);
    }

    @Test
    void everyMaiaKubeGateInstanceFileValidates() throws IOException {
        Map<String, Object> schema = schema("schema", "--repo", ROOT.toString(), "--app", "maiakubegate", "-o", "json");
        try (Stream<Path> files = Files.list(ROOT.resolve("environments/maiakubegate"))) {
            for (Path file : files.sorted().toList()) {
                Object document = new Yaml(new LoaderOptions()).load(Files.readString(file)); // JSON is YAML
                assertEquals(List.of(), Check.errors(schema, document), file.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {namespace: ml, chart_name: a, docker_image: x, allocationTime: '2', user_secret: wandb}   | user_secret: expected array
            {namespace: ml, chart_name: a, docker_image: x, allocationTime: '2', user_secret: [[a]]}   | user_secret.0: expected string
            {namespace: ml, chart_name: a, docker_image: x, allocationTime: '2', env_variables: [a]}   | env_variables: expected object
            {namespace: ml, chart_name: a, allocationTime: '2'}                                        | docker_image: required
            {namespace: ml, chart_name: a, docker_image: x, allocationTime: '2', deployment: maybe}    | deployment: matches none of
            """)
    void typicalMistakesInAnInstanceFileAreFlagged(String instance, String error) throws IOException {
        Map<String, Object> schema = schema("schema", "--repo", ROOT.toString(), "--app", "maiakubegate", "-o", "json");
        List<String> errors = Check.errors(schema, new Yaml(new LoaderOptions()).load(instance));
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(error)), errors.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {applications: {pygeoapi-k8s-manager: {instances: {geo: {namespace: geo, valeus: {}}}}}}   | applications.pygeoapi-k8s-manager.instances.geo: unknown property valeus
            {applications: {no-such-app: {}}}                                                         | applications: unknown property no-such-app
            {applications: {jupyter-operator: {state: gone}}}                                         | applications.jupyter-operator.state: expected one of
            {applications: {jupyter-operator: {values: {jo_image_tag: [1]}}}}                         | applications.jupyter-operator.values.jo_image_tag: expected string
            {clusters: local}                                                                         | : unknown property clusters
            """)
    void typicalMistakesInAnEnvironmentAreFlagged(String environment, String error) throws IOException {
        Map<String, Object> schema = schema("schema", "--repo", ROOT.toString(), "-o", "json");
        List<String> errors = Check.errors(schema, new Yaml(new LoaderOptions()).load(environment));
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(error)), errors.toString());
    }

    @Test
    void anUnknownBundleOrFormatIsAnError() {
        assertEquals("1", run("schema", "--repo", ROOT.toString(), "--app", "nope")[0]);
        assertEquals("1", run("schema", "--repo", ROOT.toString(), "-o", "xml")[0]);
    }

    /** The subset of JSON Schema 2020-12 the generated schemas use. */
    static final class Check {
        private final Map<String, Object> root;
        private final List<String> errors = new ArrayList<>();

        private Check(Map<String, Object> root) {
            this.root = root;
        }

        static List<String> errors(Map<String, Object> schema, Object value) {
            Check check = new Check(schema);
            check.validate(schema, value, "");
            return check.errors;
        }

        @SuppressWarnings("unchecked")
        private boolean validate(Map<String, Object> schema, Object value, String path) {
            int before = errors.size();
            if (schema.containsKey("$ref")) {
                String ref = ((String) schema.get("$ref")).substring("#/$defs/".length());
                validate((Map<String, Object>) ((Map<String, Object>) root.get("$defs")).get(ref), value, path);
            }
            if (schema.containsKey("type")) {
                Object type = schema.get("type");
                List<String> types = type instanceof List<?> l ? (List<String>) l : List.of((String) type);
                if (types.stream().noneMatch(t -> is(t, value))) {
                    errors.add(path + ": expected " + String.join("/", types) + ", got " + value);
                    return false;
                }
            }
            if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).contains(value)) {
                errors.add(path + ": expected one of " + schema.get("enum") + ", got " + value);
            }
            if (schema.containsKey("pattern") && value instanceof String s
                    && !Pattern.compile((String) schema.get("pattern")).matcher(s).find()) {
                errors.add(path + ": does not match " + schema.get("pattern"));
            }
            if (schema.containsKey("anyOf")) {
                boolean any = false;
                for (Object option : (List<Object>) schema.get("anyOf")) {
                    Check trial = new Check(root);
                    any |= trial.validate((Map<String, Object>) option, value, path);
                }
                if (!any) {
                    errors.add(path + ": matches none of " + schema.get("anyOf") + ", got " + value);
                }
            }
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
                for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
                    if (!map.containsKey(required)) {
                        errors.add(join(path, (String) required) + ": required");
                    }
                }
                map.forEach((k, v) -> {
                    String key = String.valueOf(k);
                    Object sub = properties.containsKey(key) ? properties.get(key) : schema.get("additionalProperties");
                    if (Boolean.FALSE.equals(sub)) {
                        errors.add(path + ": unknown property " + key);
                    } else if (sub instanceof Map<?, ?> subSchema) {
                        validate((Map<String, Object>) subSchema, v, join(path, key));
                    }
                });
            }
            if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
                for (int i = 0; i < list.size(); i++) {
                    validate((Map<String, Object>) items, list.get(i), join(path, String.valueOf(i)));
                }
            }
            if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items && items.isEmpty()) {
                return errors.size() == before;
            }
            return errors.size() == before;
        }

        private static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private static boolean is(String type, Object value) {
            return switch (type) {
                case "string" -> value instanceof String;
                case "number" -> value instanceof Number;
                case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
                case "boolean" -> value instanceof Boolean;
                case "array" -> value instanceof List;
                case "object" -> value instanceof Map;
                case "null" -> value == null;
                default -> false;
            };
        }
    }
}
