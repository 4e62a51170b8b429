package dev.dmreconciler.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schemas (draft 2020-12) of the bundles' variables, so editors complete and check environment files
 * (yaml-language-server: {@code # yaml-language-server: $schema=…}). Two shapes:
 * <ul>
 *   <li>{@link #flat(Bundle)}: a file of flat variables of one bundle — an Ansible-form parameter file, a
 *       MAIAKubeGate instance file, an {@code instanceDir} file;</li>
 *   <li>{@link #environment(java.util.Collection)}: a native-form environment file with every bundle under
 *       {@code applications}.</li>
 * </ul>
 * The schema accepts what the loader accepts: a string variable takes any scalar (its text is kept exactly),
 * an integer also its digits as a string, a boolean Ansible's words (yes/no/on/off…). Unknown variables are
 * allowed (the loader warns about them; {@code validate --strict} refuses them). Secret variables get no default.
 */
public final class VariableSchema {

    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    private static final String BOOLEAN_WORDS = "^([Yy]([Ee][Ss])?|[Nn]([Oo])?|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Oo][Nn]|[Oo][Ff][Ff]|[01])$";

    private VariableSchema() {
    }

    /** The schema of one variable's value. */
    public static Map<String, Object> of(Variable variable) {
        Map<String, Object> schema = new LinkedHashMap<>(type(variable.type(), variable.of()));
        if (!variable.description().isEmpty()) {
            schema.put("description", variable.description() + (variable.secret() ? " (secret)" : ""));
        } else if (variable.secret()) {
            schema.put("description", "(secret)");
        }
        if (!variable.allowed().isEmpty()) {
            schema.put("enum", List.copyOf(variable.allowed()));
        }
        if (variable.defaultValue() != null && variable.defaultValue().value() != null && !variable.secret()) {
            schema.put("default", variable.defaultValue().value());
        }
        if (variable.secret()) {
            schema.put("writeOnly", true);
        }
        return schema;
    }

    static Map<String, Object> type(VarType type, VarType of) {
        Map<String, Object> schema = new LinkedHashMap<>();
        switch (type) {
            case STRING -> schema.put("type", List.of("string", "number", "boolean"));
            case INTEGER -> schema.put("anyOf", List.of(Map.of("type", "integer"),
                    Map.of("type", "string", "pattern", "^\\s*-?[0-9][0-9_]*\\s*$")));
            case BOOLEAN -> schema.put("anyOf", List.of(Map.of("type", "boolean"), Map.of("type", "integer", "enum", List.of(0, 1)),
                    Map.of("type", "string", "pattern", BOOLEAN_WORDS)));
            case LIST -> {
                schema.put("type", "array");
                if (of != null) {
                    schema.put("items", type(of, null));
                }
            }
            case MAP -> {
                schema.put("type", "object");
                if (of != null) {
                    schema.put("additionalProperties", type(of, null));
                }
            }
            default -> { } // any: every value
        }
        return schema;
    }

    /** The variables of one bundle as a flat file (Ansible form, instance file). */
    public static Map<String, Object> flat(Bundle bundle) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", DIALECT);
        schema.put("title", bundle.name() + " variables");
        if (bundle.description() != null && !bundle.description().isEmpty()) {
            schema.put("description", bundle.description());
        }
        schema.putAll(variables(bundle));
        return schema;
    }

    /** type object, properties, required — the body of {@link #flat}. */
    static Map<String, Object> variables(Bundle bundle) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        Map<String, Object> properties = new TreeMap<>();
        List<String> required = new ArrayList<>();
        bundle.variables().values().forEach(v -> {
            properties.put(v.name(), of(v));
            if (v.required() && (v.defaultValue() == null || v.defaultValue().value() == null
                    || String.valueOf(v.defaultValue().value()).equals(bundle.sentinel()))) {
                required.add(v.name());
            }
        });
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required.stream().sorted().toList());
        }
        schema.put("additionalProperties", true);
        return schema;
    }

    /** A native-form environment file: its top-level settings and, per bundle, state/values/namespaces/instances. */
    public static Map<String, Object> environment(java.util.Collection<Bundle> bundles) {
        Map<String, Object> defs = new TreeMap<>();
        Map<String, Object> applications = new TreeMap<>();
        for (Bundle bundle : bundles) {
            Map<String, Object> values = variables(bundle);
            values.remove("required"); // required is checked per instance, over every layer
            defs.put(bundle.name(), values);
            String ref = "#/$defs/" + bundle.name();
            Map<String, Object> instance = Map.of("type", "object", "additionalProperties", false, "properties",
                    Map.of("namespace", Map.of("type", "string", "description", "target namespace (else the bundle's namespace variable)"),
                            "values", Map.of("$ref", ref)));
            Map<String, Object> app = new LinkedHashMap<>();
            app.put("type", "object");
            if (bundle.description() != null && !bundle.description().isEmpty()) {
                app.put("description", bundle.description());
            }
            app.put("properties", new TreeMap<>(Map.of(
                    "state", Map.of("enum", List.of("present", "absent")),
                    "values", Map.of("$ref", ref, "description", "environment-level values (below every instance)"),
                    "namespaces", Map.of("description", "one instance per namespace: a list of names, or name -> values",
                            "anyOf", List.of(Map.of("type", "array", "items", Map.of("type", "string")),
                                    Map.of("type", "object", "additionalProperties",
                                            Map.of("anyOf", List.of(Map.of("$ref", ref), Map.of("type", "null")))))),
                    "instances", Map.of("type", "object", "description", "instance name -> {namespace, values}",
                            "additionalProperties", instance),
                    "instanceDir", Map.of("type", "string", "description", "folder under environments/ whose every "
                            + "*.yaml, *.yml, *.json file is one instance (flat variables)"),
                    "preconditions", Map.of("type", "array"),
                    "secretCopies", Map.of("type", "array"))));
            app.put("additionalProperties", false);
            applications.put(bundle.name(), app);
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", DIALECT);
        schema.put("title", "dm-reconciler environment (native form)");
        schema.put("type", "object");
        schema.put("properties", new TreeMap<>(Map.of(
                "description", Map.of("type", "string"),
                "cluster", Map.of("type", "string", "description", "which cluster (default: default)"),
                "include", Map.of("type", "array", "items", Map.of("type", "string"),
                        "description", "shared parameter files, relative to environments/"),
                "envLookups", Map.of("type", "array", "items", Map.of("type", "string")),
                "adopt", Map.of("type", "boolean"),
                "manifests", Map.of("type", "array"),
                "applications", Map.of("type", "object", "properties", applications, "additionalProperties", false))));
        schema.put("additionalProperties", false);
        schema.put("$defs", defs);
        return schema;
    }
}
