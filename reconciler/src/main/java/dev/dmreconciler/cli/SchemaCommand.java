package dev.dmreconciler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dmreconciler.params.Bundle;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.params.Variable;
import dev.dmreconciler.params.VariableSchema;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The bundles' variables for authors and editors: a table (name, type, default, required, secret, description)
 * or a JSON Schema — of one bundle's flat variables ({@code --app}: Ansible-form and instance files) or of a
 * native-form environment file (every bundle).
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Prints the bundles' variables: a table (-o text) or a JSON Schema (-o json) for editors; "
                + "with --app the schema of that bundle's flat variable files (Ansible form, instance files), "
                + "without it the schema of a native-form environment file.")
final class SchemaCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    RepoOptions repoOptions;

    @Option(names = "--app", paramLabel = "APP", description = "Only this bundle.")
    String app;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json (JSON Schema). Default: ${DEFAULT-VALUE}.")
    String output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigRepo repo = repoOptions.open();
        Problems problems = new Problems();
        problems.addAll(repo.bundleProblems());
        problems.throwIfErrors();
        List<Bundle> bundles = repo.bundles().values().stream().sorted(java.util.Comparator.comparing(Bundle::name)).toList();
        if (app != null) {
            Bundle bundle = repo.bundles().get(app);
            if (bundle == null) {
                throw InvalidInputException.of("--app", app, "no such bundle; bundles: "
                        + bundles.stream().map(Bundle::name).toList());
            }
            bundles = List.of(bundle);
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "json" -> out.println(JSON.writeValueAsString(app != null ? VariableSchema.flat(bundles.get(0))
                    : VariableSchema.environment(bundles)));
            case "text" -> bundles.forEach(b -> out.print(table(b)));
            default -> throw InvalidInputException.of("--output", output, "use text or json");
        }
        return Main.OK;
    }

    /** One bundle as a table: name, type, default, flags, description (secret defaults are never printed). */
    static String table(Bundle bundle) {
        StringBuilder out = new StringBuilder();
        out.append(bundle.name()).append(" (").append(bundle.file()).append(")");
        if (bundle.description() != null && !bundle.description().isEmpty()) {
            out.append(": ").append(bundle.description());
        }
        out.append('\n');
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"VARIABLE", "TYPE", "DEFAULT", "FLAGS", "DESCRIPTION"});
        bundle.variables().values().stream().sorted(java.util.Comparator.comparing(Variable::name)).forEach(v -> rows.add(new String[] {
                v.name(),
                v.type().name().toLowerCase(java.util.Locale.ROOT) + (v.of() == null ? "" : " of " + v.of().name().toLowerCase(java.util.Locale.ROOT)),
                v.secret() ? "<redacted>" : shown(v),
                String.join(",", flags(v, bundle)),
                v.description() + (v.allowed().isEmpty() ? "" : " (one of " + String.join(", ", v.allowed()) + ")")}));
        int[] widths = new int[4];
        rows.forEach(r -> { for (int i = 0; i < 4; i++) widths[i] = Math.max(widths[i], r[i].length()); });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < 4; i++) {
                line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            out.append((line + row[4]).stripTrailing()).append('\n');
        }
        return out.append('\n').toString();
    }

    private static List<String> flags(Variable v, Bundle bundle) {
        List<String> flags = new java.util.ArrayList<>();
        if (v.required()) {
            flags.add("required");
        }
        if (v.secret()) {
            flags.add("secret");
        }
        if (v.promote()) {
            flags.add("promote");
        }
        if (v.name().equals(bundle.namespaceVariable())) {
            flags.add("namespace");
        }
        if (v.name().equals(bundle.instanceNameVariable())) {
            flags.add("instance-name");
        }
        return flags;
    }

    private static String shown(Variable v) {
        if (v.defaultValue() == null || v.defaultValue().value() == null) {
            return "-";
        }
        Object value = v.defaultValue().value();
        String text;
        try {
            text = value instanceof String s ? (s.isEmpty() ? "''" : s) : JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            text = String.valueOf(value);
        }
        text = text.replace('\n', ' ');
        return text.length() > 40 ? text.substring(0, 39) + "…" : text;
    }
}
