package dev.dmreconciler.render;

import dev.dmreconciler.resource.Stamp;
import freemarker.template.ObjectWrapper;
import freemarker.template.SimpleHash;
import freemarker.template.SimpleNumber;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code dmr} helper functions every template can call (documented with examples in the README,
 * "Template helpers"). They take and return plain data only — no Java object becomes reachable — and a bad
 * argument is a template error that names the function and what is wrong with the value.
 */
final class TemplateHelpers {

    static final String NAME = "dmr";

    private TemplateHelpers() {
    }

    /** The {@code dmr} hash; {@code wrapper} wraps returned maps (the sandboxed wrapper of the engine). */
    static SimpleHash create(ObjectWrapper wrapper) {
        Map<String, Object> functions = new LinkedHashMap<>();
        functions.put("toYaml", function("toYaml", 1, 2, "value[, indent]", args ->
                new SimpleScalar(YamlText.of(args.get(0), indent(args, 1)))));
        functions.put("toJson", function("toJson", 1, 1, "value", args ->
                new SimpleScalar(JsonText.compact(args.get(0)))));
        functions.put("toPrettyJson", function("toPrettyJson", 1, 2, "value[, indent]", args ->
                new SimpleScalar(JsonText.pretty(args.get(0), indent(args, 1)))));
        functions.put("quote", function("quote", 1, 1, "text", args ->
                new SimpleScalar(JsonText.quote(scalarText(args.get(0))))));
        functions.put("seconds", function("seconds", 1, 2, "duration[, defaultUnit]", args ->
                new SimpleNumber(Durations.seconds(args.get(0), args.size() > 1 ? string(args.get(1), "defaultUnit") : "s"))));
        functions.put("int", function("int", 1, 1, "value", args -> new SimpleNumber(integer(args.get(0)))));
        functions.put("quantity", function("quantity", 1, 1, "value", args ->
                new SimpleScalar(Quantities.canonical(args.get(0)))));
        functions.put("hash", function("hash", 1, Integer.MAX_VALUE, "value...", args ->
                new SimpleScalar(Names.contentHash(args.size() == 1 ? args.get(0) : args))));
        functions.put("dnsName", function("dnsName", 1, 2, "name[, max]", args ->
                new SimpleScalar(Names.dnsName(scalarText(args.get(0)),
                        args.size() > 1 ? (int) Math.min(Integer.MAX_VALUE, integer(args.get(1))) : 63))));
        functions.put("labels", function("labels", 2, 2, "application, instance", args ->
                wrapper.wrap(Names.labels(string(args.get(0), "application"), string(args.get(1), "instance"),
                        Stamp.MANAGER))));
        return new SimpleHash(functions, wrapper);
    }

    @FunctionalInterface
    private interface Body {
        TemplateModel apply(List<Object> args) throws TemplateModelException;
    }

    private static TemplateMethodModelEx function(String name, int min, int max, String signature, Body body) {
        return arguments -> {
            String call = NAME + "." + name;
            if (arguments.size() < min || arguments.size() > max) {
                throw new TemplateModelException(call + "(" + signature + ") got " + arguments.size()
                        + " argument" + (arguments.size() == 1 ? "" : "s"));
            }
            try {
                List<Object> plain = new ArrayList<>(arguments.size());
                for (Object argument : arguments) {
                    plain.add(PlainValues.of((TemplateModel) argument));
                }
                return body.apply(plain);
            } catch (IllegalArgumentException | TemplateModelException e) {
                throw new TemplateModelException(call + ": " + e.getMessage());
            }
        };
    }

    private static int indent(List<Object> args, int index) {
        if (args.size() <= index) {
            return 0;
        }
        long indent = integer(args.get(index));
        if (indent < 0 || indent > 200) {
            throw new IllegalArgumentException("the indent " + indent + " is not between 0 and 200");
        }
        return (int) indent;
    }

    private static String string(Object value, String what) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("expected a string for " + what + " but got " + PlainValues.typeOf(value));
        }
        return s;
    }

    /** A string, or a number or boolean written as text. */
    private static String scalarText(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException("expected a string but got " + PlainValues.typeOf(value));
    }

    /** A whole number from a number or its text ({@code "4"}, {@code 4.0}); {@code 4.5} is an error. */
    static long integer(Object value) {
        BigDecimal number;
        if (value instanceof String s) {
            try {
                number = new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + s + "\" is not a whole number");
            }
        } else if (value instanceof BigDecimal d) {
            number = d;
        } else if (value instanceof Long || value instanceof BigInteger) {
            number = new BigDecimal(value.toString());
        } else {
            throw new IllegalArgumentException("expected a whole number but got " + PlainValues.typeOf(value));
        }
        try {
            return number.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(number.toPlainString() + " is not a whole number"
                    + (number.abs().compareTo(BigDecimal.ONE) > 0 && number.stripTrailingZeros().scale() <= 0
                    ? " that fits 64 bits" : ""));
        }
    }
}
