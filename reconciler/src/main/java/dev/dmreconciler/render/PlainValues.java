package dev.dmreconciler.render;

import freemarker.template.AdapterTemplateModel;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateCollectionModel;
import freemarker.template.TemplateDateModel;
import freemarker.template.TemplateHashModelEx;
import freemarker.template.TemplateHashModelEx2;
import freemarker.template.TemplateMethodModel;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateModelIterator;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateSequenceModel;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Template values → plain Java values (String, Long, BigInteger, BigDecimal, Boolean, ordered Map, List), so the
 * helpers work on data, never on FreeMarker or wrapped Java objects. Maps keep the order of their source (a YAML
 * file, a hash literal); a map without an order is sorted by key, so output is stable either way.
 */
final class PlainValues {

    private static final int MAX_DEPTH = 100;

    private PlainValues() {
    }

    static Object of(TemplateModel model) throws TemplateModelException {
        return of(model, 0);
    }

    private static Object of(TemplateModel model, int depth) throws TemplateModelException {
        if (depth > MAX_DEPTH) {
            throw new TemplateModelException("value nested deeper than " + MAX_DEPTH + " levels");
        }
        if (model == null) {
            throw new TemplateModelException("the value is missing (null)");
        }
        if (model instanceof TemplateScalarModel scalar) {
            return scalar.getAsString();
        }
        if (model instanceof TemplateNumberModel number) {
            return number(number.getAsNumber());
        }
        if (model instanceof TemplateBooleanModel bool) {
            return bool.getAsBoolean();
        }
        if (model instanceof TemplateSequenceModel sequence) {
            List<Object> list = new ArrayList<>(sequence.size());
            for (int i = 0; i < sequence.size(); i++) {
                list.add(of(sequence.get(i), depth + 1));
            }
            return list;
        }
        if (model instanceof TemplateHashModelEx hash) {
            return map(hash, depth);
        }
        if (model instanceof TemplateCollectionModel collection) {
            List<Object> list = new ArrayList<>();
            TemplateModelIterator it = collection.iterator();
            while (it.hasNext()) {
                list.add(of(it.next(), depth + 1));
            }
            return list;
        }
        throw new TemplateModelException("expected a string, number, boolean, list or map but got " + typeOf(model));
    }

    private static Map<String, Object> map(TemplateHashModelEx hash, int depth) throws TemplateModelException {
        Map<String, Object> map = new LinkedHashMap<>();
        if (hash instanceof TemplateHashModelEx2 pairs) {
            TemplateHashModelEx2.KeyValuePairIterator it = pairs.keyValuePairIterator();
            while (it.hasNext()) {
                TemplateHashModelEx2.KeyValuePair pair = it.next();
                map.put(key(pair.getKey()), of(pair.getValue(), depth + 1));
            }
        } else {
            TemplateModelIterator keys = hash.keys().iterator();
            while (keys.hasNext()) {
                String key = key(keys.next());
                map.put(key, of(hash.get(key), depth + 1));
            }
        }
        if (hash instanceof AdapterTemplateModel adapter
                && adapter.getAdaptedObject(Object.class) instanceof Map<?, ?> source
                && !(source instanceof LinkedHashMap<?, ?>) && !(source instanceof SortedMap<?, ?>)) {
            return new LinkedHashMap<>(new TreeMap<>(map)); // no order of its own: sort, so output is stable
        }
        return map;
    }

    private static String key(TemplateModel key) throws TemplateModelException {
        Object plain = of(key);
        if (plain instanceof Map<?, ?> || plain instanceof List<?>) {
            throw new TemplateModelException("a map key must be a string, number or boolean");
        }
        return plain instanceof BigDecimal d ? d.toPlainString() : String.valueOf(plain);
    }

    /** Integral numbers become Long (or BigInteger); others BigDecimal, keeping a written ".0". */
    static Object number(Number number) throws TemplateModelException {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        if (number instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new TemplateModelException("the number " + d + " is not finite");
            }
            return BigDecimal.valueOf(d);
        }
        BigDecimal decimal = number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
        if (decimal.scale() <= 0) {
            BigInteger integral = decimal.toBigInteger();
            return integral.bitLength() < 64 ? (Object) integral.longValue() : integral;
        }
        return decimal;
    }

    /** "a string", "a list", … for messages; never a Java class name. */
    static String typeOf(TemplateModel model) {
        if (model == null) {
            return "nothing (null)";
        }
        if (model instanceof TemplateScalarModel) {
            return "a string";
        }
        if (model instanceof TemplateNumberModel) {
            return "a number";
        }
        if (model instanceof TemplateBooleanModel) {
            return "a boolean";
        }
        if (model instanceof TemplateSequenceModel) {
            return "a list";
        }
        if (model instanceof TemplateHashModelEx) {
            return "a map";
        }
        if (model instanceof TemplateDateModel) {
            return "a date";
        }
        if (model instanceof TemplateMethodModel) {
            return "a function";
        }
        if (model instanceof TemplateCollectionModel) {
            return "a collection";
        }
        return "an unsupported kind of value";
    }

    /** "a string", "a list", … of a plain value. */
    static String typeOf(Object plain) {
        if (plain instanceof String) {
            return "a string";
        }
        if (plain instanceof Number) {
            return "a number";
        }
        if (plain instanceof Boolean) {
            return "a boolean";
        }
        if (plain instanceof List<?>) {
            return "a list";
        }
        if (plain instanceof Map<?, ?>) {
            return "a map";
        }
        return "nothing";
    }
}
