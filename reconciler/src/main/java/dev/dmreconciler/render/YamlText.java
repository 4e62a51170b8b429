package dev.dmreconciler.render;

import java.math.BigDecimal;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Block YAML of plain values (see {@link PlainValues}) for {@code dmr.toYaml}. A string is quoted whenever a
 * YAML 1.1 reader (SnakeYAML, PyYAML, Kubernetes' go-yaml) would read it as something else ({@code 0022},
 * {@code 3.10}, {@code yes}, {@code y}, {@code null}, {@code ~}, {@code "a: b"}, ...), so the value reads back
 * unchanged; a multi-line string is a literal block ({@code |}). Lists are indented under their key.
 */
final class YamlText {

    /** Plain scalars go-yaml reads as booleans although YAML 1.1 resolvers of the Java/Python world do not. */
    private static final Set<String> GO_BOOLEANS = Set.of("y", "Y", "n", "N");

    private YamlText() {
    }

    /**
     * @param indent spaces added to every line after the first, so the text can be placed where the template
     *               already stands at that column; no trailing newline
     */
    static String of(Object value, int indent) {
        String text = yaml().dump(value);
        if (text.endsWith("\n...\n")) {
            text = text.substring(0, text.length() - 4); // a document end SnakeYAML adds after an open scalar
        }
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return indent <= 0 ? text : text.replace("\n", "\n" + " ".repeat(indent));
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        options.setAllowUnicode(true);
        options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
        return new Yaml(new PlainRepresenter(options), options);
    }

    private static final class PlainRepresenter extends Representer {
        PlainRepresenter(DumperOptions options) {
            super(options);
            this.representers.put(String.class, new RepresentText());
            this.representers.put(BigDecimal.class, data -> representScalar(Tag.FLOAT, decimal((BigDecimal) data)));
        }

        private static String decimal(BigDecimal d) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0"; // YAML 1.1 floats need the dot
        }

        private final class RepresentText implements Represent {
            @Override
            public Node representData(Object data) {
                String text = (String) data;
                if (text.indexOf('\n') >= 0) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL);
                }
                if (GO_BOOLEANS.contains(text)) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                }
                return representScalar(Tag.STR, text);
            }
        }
    }
}
