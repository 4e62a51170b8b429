package dev.dmreconciler.resource;

import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A constructor that reads map keys as kubectl, Helm, Argo CD and Flux do: go-yaml reads a plain key like any other
 * scalar, and sigs.k8s.io/yaml then writes the JSON object key from what it read — an integer in decimal
 * ({@code 9000: x} is {@code "9000"}, {@code 0x1F} is {@code "31"}, {@code 010} is {@code "8"}), a boolean as
 * {@code "true"}/{@code "false"} (go-yaml's YAML 1.1 booleans, {@code y}/{@code n} included), a date as written
 * (go-yaml hands timestamps to {@code interface{}} as strings). Numeric keys are common in real manifests (ingress-nginx's
 * {@code tcp-services} ConfigMap: {@code 9000: "default/svc:8080"}). What sigs.k8s.io/yaml refuses stays refused:
 * a null key; a float key (sigs.k8s.io/yaml prints it through Go's float32 {@code %g}, e.g. {@code 2.0} → {@code "2"}:
 * too surprising to copy) and anything else not a string is left as it is for the reader to refuse with the key's path.
 * Quoted keys are strings, as everywhere.
 */
public final class KubeYamlKeys extends SafeConstructor {

    public KubeYamlKeys(LoaderOptions options) {
        super(options);
    }

    @Override
    protected void flattenMapping(MappingNode node, boolean forceStringKeys) {
        convertKeys(node, new IdentityHashMap<>()); // (converting a key twice changes nothing more)
        super.flattenMapping(node, forceStringKeys);
    }

    /** The keys of a mapping and of the mappings it merges ({@code <<: *anchor}), each mapping once. */
    private static void convertKeys(Node node, Map<Node, Boolean> seen) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(merged -> convertKeys(merged, seen)); // <<: [*a, *b]
            return;
        }
        if (!(node instanceof MappingNode mapping) || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        List<NodeTuple> tuples = mapping.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple tuple = tuples.get(i);
            if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                convertKeys(tuple.getValueNode(), seen);
            } else if (tuple.getKeyNode() instanceof ScalarNode key) {
                String text = goKey(key);
                if (text != null) {
                    tuples.set(i, new NodeTuple(new ScalarNode(Tag.STR, text, key.getStartMark(), key.getEndMark(),
                            DumperOptions.ScalarStyle.PLAIN), tuple.getValueNode()));
                }
            }
        }
    }

    /** The JSON key sigs.k8s.io/yaml would make of this scalar key, or null to leave it as SnakeYAML reads it. */
    static String goKey(ScalarNode key) {
        Tag tag = key.getTag();
        String text = key.getValue();
        boolean plain = key.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
        // (the patterns only for keys that could match them: this runs for every key of every rendered object)
        int digits = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        boolean goOnly = plain && tag.equals(Tag.STR)
                && (text.length() == 1 || text.length() > digits + 1 && text.charAt(digits) == '0');
        if (tag.equals(Tag.BOOL) || goOnly && KubeYamlResolver.GO_BOOL.matcher(text).matches()) {
            return switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "y", "yes", "true", "on" -> "true";
                case "n", "no", "false", "off" -> "false";
                default -> null;
            };
        }
        if (tag.equals(Tag.INT) || goOnly && KubeYamlResolver.GO_INT.matcher(text).matches()) {
            return goInteger(text);
        }
        return tag.equals(Tag.TIMESTAMP) ? text : null;
    }

    /**
     * go-yaml's reading of an integer: underscores dropped, then Go's {@code strconv.ParseInt(s, 0, 64)} (a 0x, 0o or
     * 0b prefix, or a leading 0 for octal). YAML 1.1's base-60 form ({@code 1:20}) is a string for go-yaml; a number
     * beyond 64 bits is left for the reader to refuse.
     */
    private static String goInteger(String text) {
        if (text.contains(":")) {
            return text;
        }
        String digits = text.replace("_", "");
        boolean negative = digits.startsWith("-");
        if (negative || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        int radix = 10;
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            switch (Character.toLowerCase(digits.charAt(1))) {
                case 'x' -> { radix = 16; digits = digits.substring(2); }
                case 'o' -> { radix = 8; digits = digits.substring(2); }
                case 'b' -> { radix = 2; digits = digits.substring(2); }
                default -> { radix = 8; digits = digits.substring(1); }
            }
        }
        try {
            BigInteger value = new BigInteger(digits, radix);
            value = negative ? value.negate() : value;
            return value.bitLength() < 64 ? value.toString() : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
