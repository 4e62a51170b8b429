package dev.dmreconciler.params;

import java.util.function.Function;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Node;

/** Turns a YAML node into a variable value: Jinja env lookups first, then the declared type. */
final class Values {

    private Values() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    static Object read(Node node, VarType type, Function<String, String> getenv) {
        if (node instanceof ScalarNode scalar && !YamlFile.isNull(node)) {
            String text = scalar.getValue();
            if (Jinja.hasTemplate(text)) {
                return type.convert(Jinja.evaluate(text, getenv));
            }
            return type == VarType.ANY ? YamlFile.plain(node) : type.convert(text);
        }
        return type.convert(YamlFile.plain(node));
    }
}
