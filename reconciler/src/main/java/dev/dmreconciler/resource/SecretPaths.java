package dev.dmreconciler.resource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.dmreconciler.secrets.SecretValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where in an object that is not a Secret its environment's secret values are: JSON pointers (RFC 6901,
 * {@code /data/app.ini}, {@code /spec/template/spec/containers/0/env/1/value}) of the strings that hold one, or of
 * the map whose key holds one. Paths only, never values: the inventory entry keeps them
 * ({@code Inventory.SECRET_PATHS}), so a later live diff hides the live values there even when the secret has left
 * git since (moved into a Secret, rotated) and the process no longer knows it (review S11-F14).
 */
public final class SecretPaths {

    private static final JsonFactory JSON = new JsonFactory();

    private SecretPaths() {
    }

    /**
     * The places of a body that hold one of the values; a Secret's {@code data}/{@code stringData} are not listed
     * (every value there is hidden anyway).
     */
    public static List<String> of(Map<String, Object> body, SecretValues secrets) {
        if (secrets.isEmpty()) {
            return List.of();
        }
        List<String> found = new ArrayList<>(2);
        boolean secret = Stamp.isSecret(body);
        for (Map.Entry<String, Object> field : body.entrySet()) {
            if (!(secret && (field.getKey().equals("data") || field.getKey().equals("stringData")))) {
                walk(field.getValue(), "/" + escape(field.getKey()), secrets, found);
            }
        }
        return List.copyOf(found);
    }

    private static void walk(Object node, String pointer, SecretValues secrets, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (secrets.heldBy(String.valueOf(key))) {
                    found.add(pointer); // a key is the secret: the whole map is the place (its path names no key)
                    return;
                }
            }
            map.forEach((key, value) -> walk(value, pointer + "/" + escape(String.valueOf(key)), secrets, found));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), pointer + "/" + i, secrets, found);
            }
        } else if (node != null && secrets.heldBy(String.valueOf(node))) {
            found.add(pointer);
        }
    }

    /**
     * In {@code live} (a copy the caller may change), every place of {@code pointers} whose content differs from
     * the same place of {@code wanted} (null: nothing wanted) becomes {@link Manifests#REDACTED}: there was a secret
     * there when the object was applied, and the live value may still be it. A place equal on both sides shows
     * nothing the wanted side does not show.
     */
    @SuppressWarnings("unchecked")
    public static void hide(Map<String, Object> live, Map<String, Object> wanted, Collection<String> pointers) {
        for (String pointer : pointers) {
            List<String> tokens = tokens(pointer);
            if (tokens.isEmpty()) {
                continue;
            }
            Object parent = at(live, tokens.subList(0, tokens.size() - 1));
            String last = tokens.get(tokens.size() - 1);
            Object here = child(parent, last);
            if (here == null || Manifests.REDACTED.equals(here)
                    || Objects.equals(here, at(wanted, tokens))) {
                continue;
            }
            if (parent instanceof Map<?, ?> map) {
                ((Map<String, Object>) map).put(last, Manifests.REDACTED);
            } else if (parent instanceof List<?> list) {
                ((List<Object>) list).set(Integer.parseInt(last), Manifests.REDACTED);
            }
        }
    }

    private static Object at(Object root, List<String> tokens) {
        Object node = root;
        for (String token : tokens) {
            node = child(node, token);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static Object child(Object node, String token) {
        if (node instanceof Map<?, ?> map) {
            return map.get(token);
        }
        if (node instanceof List<?> list && !token.isEmpty() && token.chars().allMatch(Character::isDigit)
                && token.length() < 10) {
            int index = Integer.parseInt(token);
            return index < list.size() ? list.get(index) : null;
        }
        return null;
    }

    static String escape(String key) {
        return key.indexOf('~') < 0 && key.indexOf('/') < 0 ? key : key.replace("~", "~0").replace("/", "~1");
    }

    static List<String> tokens(String pointer) {
        if (pointer == null || !pointer.startsWith("/")) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>();
        for (String token : pointer.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    /** The pointers as one inventory attribute: a JSON array of strings. */
    public static String encode(List<String> pointers) {
        StringBuilder out = new StringBuilder(32 * pointers.size() + 2).append('[');
        for (int i = 0; i < pointers.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            for (char c : pointers.get(i).toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }

    /** The pointers of an inventory attribute; none when it is absent or not a JSON array of strings. */
    public static List<String> decode(String attribute) {
        if (attribute == null || attribute.isEmpty()) {
            return List.of();
        }
        List<String> pointers = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(attribute)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return List.of();
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.VALUE_STRING; token = parser.nextToken()) {
                pointers.add(parser.getText());
            }
        } catch (IOException e) {
            return List.copyOf(pointers);
        }
        return List.copyOf(pointers);
    }
}
