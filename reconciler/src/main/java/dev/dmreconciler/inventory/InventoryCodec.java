package dev.dmreconciler.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dmreconciler.resource.Digests;
import dev.dmreconciler.resource.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The storage format of inventory entries: one JSON object per line (JSON Lines), gzip-compressed, split over
 * shards. An object's shard is a hash of its identity modulo the shard count, so a change in one namespace
 * rewrites one shard, not the whole inventory; the shard count is a power of two chosen from the number of
 * entries ({@value #ENTRIES_PER_SHARD} per shard at most), and doubles again when a shard would still not fit
 * {@value #MAX_SHARD_BYTES} bytes (a ConfigMap holds 1 MiB, and base64 adds a third).
 *
 * <p>Gzip streams concatenate: {@code base64 -d} of each shard, concatenated, {@code gunzip}s to every line.
 */
public final class InventoryCodec {

    public static final int ENTRIES_PER_SHARD = 2500;
    public static final int MAX_SHARD_BYTES = 600 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KNOWN = List.of("apiVersion", "kind", "namespace", "name", "scope", "hash",
            "fields", "pending");

    private InventoryCodec() {
    }

    /** The shards' gzip bytes, index = shard number; one (possibly empty) shard at least. */
    public static List<byte[]> encode(SortedMap<ObjectKey, Inventory.Entry> entries) {
        int shards = Integer.highestOneBit(Math.max(1, (entries.size() + ENTRIES_PER_SHARD - 1) / ENTRIES_PER_SHARD));
        if (shards * ENTRIES_PER_SHARD < entries.size()) {
            shards *= 2;
        }
        while (true) {
            List<StringBuilder> texts = new ArrayList<>();
            for (int i = 0; i < shards; i++) {
                texts.add(new StringBuilder());
            }
            for (Map.Entry<ObjectKey, Inventory.Entry> entry : entries.entrySet()) {
                texts.get(shardOf(entry.getKey(), shards)).append(line(entry.getKey(), entry.getValue())).append('\n');
            }
            List<byte[]> encoded = texts.stream().map(t -> gzip(t.toString())).toList();
            if (encoded.stream().allMatch(b -> b.length <= MAX_SHARD_BYTES) || shards >= 1024) {
                return encoded;
            }
            shards *= 2;
        }
    }

    /** Which shard of {@code shards} an object belongs to (stable: a hash of its identity). */
    static int shardOf(ObjectKey key, int shards) {
        if (shards == 1) {
            return 0;
        }
        String digest = Digests.sha256(key.group() + "/" + key.kind() + "/" + key.namespace() + "/" + key.name(), 8);
        return (int) (Long.parseLong(digest, 16) % shards);
    }

    /** The entries of one shard's gzip bytes. */
    public static SortedMap<ObjectKey, Inventory.Entry> decode(byte[] gzip) {
        return decodeLines(gunzip(gzip));
    }

    /**
     * The entries of JSON lines, read with one parser over the whole text (JSON Lines are a sequence of root-level
     * objects): a parser and a map per line cost more than the entries themselves, for every inventory of the cluster
     * on every pass. Each entry as {@link #put(SortedMap, Map)} reads a line's map.
     */
    static SortedMap<ObjectKey, Inventory.Entry> decodeLines(String text) {
        SortedMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
        try (JsonParser parser = JSON.getFactory().createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("not an inventory entry: a line is not a JSON object (" + token + ")");
                }
                readEntry(parser, entries);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an inventory entry: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** One entry, the parser at its START_OBJECT: the known fields as text, any other as its value's text. */
    private static void readEntry(JsonParser parser, SortedMap<ObjectKey, Inventory.Entry> entries) throws IOException {
        String apiVersion = "";
        String kind = "";
        String namespace = "";
        String name = "";
        String scope = "";
        String hash = "";
        String fields = "";
        boolean pending = false;
        Map<String, String> extra = new TreeMap<>();
        Set<String> keys = new LinkedHashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            keys.add(field);
            JsonToken value = parser.nextToken();
            Object read = value == JsonToken.VALUE_STRING ? parser.getText()
                    : value == JsonToken.VALUE_NULL ? null : JSON.readValue(parser, Object.class);
            String text = read == null ? "" : read.toString();
            switch (field) {
                case "apiVersion" -> apiVersion = text;
                case "kind" -> kind = text;
                case "namespace" -> namespace = text;
                case "name" -> name = text;
                case "scope" -> scope = text;
                case "hash" -> hash = text;
                case "fields" -> fields = text;
                case "pending" -> pending = Boolean.TRUE.equals(read);
                default -> {
                    if (read != null) {
                        extra.put(field, text);
                    } else {
                        extra.remove(field); // a later null of a repeated key: as a map of the line had it
                    }
                }
            }
        }
        if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("an inventory entry lacks apiVersion, kind or name: " + keys);
        }
        ObjectKey key = new ObjectKey(ObjectKey.groupOf(apiVersion), kind, namespace, name);
        entries.put(key, new Inventory.Entry(apiVersion, scope, hash, fields, pending, extra));
    }

    /** The format before shards: one JSON array in {@code data.objects.json}. */
    @SuppressWarnings("unchecked")
    static SortedMap<ObjectKey, Inventory.Entry> decodeLegacy(String json) {
        SortedMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
        try {
            for (Object row : JSON.readValue(json, List.class)) {
                put(entries, (Map<String, Object>) row);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON array of inventory entries: " + e.getOriginalMessage(), e);
        }
        return entries;
    }

    static String line(ObjectKey key, Inventory.Entry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("apiVersion", entry.apiVersion());
        row.put("kind", key.kind());
        row.put("namespace", key.namespace());
        row.put("name", key.name());
        row.put("scope", entry.scope());
        row.put("hash", entry.hash());
        row.put("fields", entry.fingerprint());
        if (entry.pending()) {
            row.put("pending", true);
        }
        entry.extra().forEach(row::putIfAbsent);
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(SortedMap<ObjectKey, Inventory.Entry> entries, Map<String, Object> row) {
        String apiVersion = text(row, "apiVersion");
        String kind = text(row, "kind");
        String name = text(row, "name");
        if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("an inventory entry lacks apiVersion, kind or name: " + row.keySet());
        }
        Map<String, String> extra = new TreeMap<>();
        row.forEach((k, v) -> {
            if (!KNOWN.contains(k) && v != null) {
                extra.put(k, v.toString());
            }
        });
        ObjectKey key = new ObjectKey(ObjectKey.groupOf(apiVersion), kind, text(row, "namespace"), name);
        entries.put(key, new Inventory.Entry(apiVersion, text(row, "scope"), text(row, "hash"), text(row, "fields"),
                Boolean.TRUE.equals(row.get("pending")), extra));
    }

    private static String text(Map<String, Object> row, String key) {
        Object value = row.get(key);
        return value == null ? "" : value.toString();
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("not gzip data: " + e.getMessage(), e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
