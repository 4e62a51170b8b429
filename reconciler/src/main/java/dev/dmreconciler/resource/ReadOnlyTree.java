package dev.dmreconciler.resource;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Read-only, compact copies of objects given as maps and lists (rendered documents kept for a long time): each map
 * becomes one array of keys and values in its key order, each list an unmodifiable array, and equal strings copied
 * through one instance of this class become one instance (the same keys, label values, names and rules repeat in
 * every Data Manager namespace's documents). Equal to the original ({@code equals}, {@code hashCode}, iteration
 * order), so JSON, YAML and hashes of it are the same; every change through it throws
 * {@link UnsupportedOperationException} (a caller that changes a document copies it first: {@link Stamp#deepCopy}).
 * Lookups scan the map's array, which is as fast as hashing for the few keys of an object's maps. Not thread-safe:
 * one instance per thread (a render, a memo).
 */
public final class ReadOnlyTree {

    private final Map<String, String> strings = new HashMap<>();

    /**
     * A read-only compact copy of the map, all the way down; a map that already is one (from this or another tree) is
     * taken as it is, so a render shares what it did not change with the memo it came from.
     */
    public Map<String, Object> map(Map<String, Object> map) {
        if (map instanceof ReadOnlyMap) {
            return map;
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        Object[] keysAndValues = new Object[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            keysAndValues[i++] = string(entry.getKey());
            keysAndValues[i++] = value(entry.getValue());
        }
        return new ReadOnlyMap(keysAndValues);
    }

    /** Whether the value is a map made by a read-only tree (nothing can change it). */
    public static boolean isReadOnly(Object value) {
        return value instanceof ReadOnlyMap;
    }

    @SuppressWarnings("unchecked")
    private Object value(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return List.of();
            }
            Object[] values = new Object[list.size()];
            int i = 0;
            for (Object element : list) {
                values[i++] = value(element);
            }
            return Collections.unmodifiableList(Arrays.asList(values)); // may hold nulls, unlike List.of
        }
        return value instanceof String text ? string(text) : value;
    }

    private String string(String text) {
        String known = strings.putIfAbsent(text, text);
        return known != null ? known : text;
    }

    /** A read-only map in insertion order over one array (k0, v0, k1, v1 …); lookups scan it (objects' maps are small). */
    private static final class ReadOnlyMap extends AbstractMap<String, Object> {

        private final Object[] keysAndValues;

        ReadOnlyMap(Object[] keysAndValues) {
            this.keysAndValues = keysAndValues;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                if (keysAndValues[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public Object get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : keysAndValues[i + 1];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return keysAndValues.length / 2;
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super Object> action) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                action.accept((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return keysAndValues.length / 2;
                }

                @Override
                public Iterator<Map.Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keysAndValues.length;
                        }

                        @Override
                        public Map.Entry<String, Object> next() {
                            if (next >= keysAndValues.length) {
                                throw new NoSuchElementException();
                            }
                            Map.Entry<String, Object> entry = new SimpleImmutableEntry<>((String) keysAndValues[next],
                                    keysAndValues[next + 1]);
                            next += 2;
                            return entry;
                        }
                    };
                }
            };
        }
    }
}
