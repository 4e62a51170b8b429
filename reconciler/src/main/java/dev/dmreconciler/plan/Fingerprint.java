package dev.dmreconciler.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dmreconciler.resource.Digests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The set of fields the reconciler's field manager owns on a live object, as a digest. When someone edits
 * a field the reconciler applied ({@code kubectl edit}, another controller's update), the API server moves
 * that field to the other manager, this digest changes, and the next pass re-applies: drift is seen with
 * reads alone. Status updates live in a separate managed-fields entry and do not change it.
 */
public final class Fingerprint {

    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Fingerprint() {
    }

    /** Digest of the field manager's Apply entry of the main resource, or "" when it owns nothing. */
    public static String of(HasMetadata live, String fieldManager) {
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        if (entries == null) {
            return "";
        }
        return entries.stream()
                .filter(e -> fieldManager.equals(e.getManager()) && "Apply".equals(e.getOperation())
                        && (e.getSubresource() == null || e.getSubresource().isEmpty()))
                .findFirst()
                .map(e -> e instanceof Digested digested ? digested.fingerprint : fingerprint(e))
                .orElse("");
    }

    /**
     * The entry with its fields replaced by their fingerprint (what {@link #of} gives for it), for a cache that
     * keeps live objects for many passes ({@code run}'s watch cache): the fields of a Deployment are a tree of
     * maps of a few kB, the fingerprint 32 characters, and it is computed once per change of the object instead
     * of once per pass.
     */
    public static ManagedFieldsEntry digested(ManagedFieldsEntry entry) {
        return new Digested(entry, fingerprint(entry));
    }

    /** One formula for both: a cached entry's fingerprint must equal what {@link #of} computes from a live read. */
    private static String fingerprint(ManagedFieldsEntry entry) {
        return Digests.sha256(entry.getApiVersion() + "\n" + canonical(entry), 32);
    }

    /** A managed-fields entry whose fields are known only by their fingerprint; read-only (a cache shares it). */
    private static final class Digested extends dev.dmreconciler.resource.ReadOnlyManagedFieldsEntry {
        private final String fingerprint;

        Digested(ManagedFieldsEntry entry, String fingerprint) {
            super(entry.getApiVersion(), entry.getFieldsType(), null, entry.getManager(), entry.getOperation(),
                    entry.getSubresource(), entry.getTime());
            this.fingerprint = fingerprint;
        }
    }

    /** Other managers that own fields of the object (for messages about drift and conflicts). */
    public static List<String> otherManagers(HasMetadata live, String fieldManager) {
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        if (entries == null) {
            return List.of();
        }
        return List.copyOf(new TreeSet<>(entries.stream().map(ManagedFieldsEntry::getManager)
                .filter(Objects::nonNull).filter(m -> !m.equals(fieldManager)).toList()));
    }

    /**
     * The entry's fields as compact JSON, keys sorted at every level: the text
     * {@code CANONICAL.writeValueAsString(CANONICAL.convertValue(fieldsV1, Object.class))} gave (fingerprints recorded
     * in inventories stay valid; {@code FingerprintTest} compares the two), written straight from the fields' maps
     * instead of converting them to a second tree first (once per live object of a plan and per write: it was the
     * largest part of a no-op plan's CPU after parsing).
     */
    static String canonical(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() == null) {
            return "null";
        }
        java.io.StringWriter out = new java.io.StringWriter(256);
        try (JsonGenerator generator = CANONICAL.getFactory().createGenerator(out)) {
            Map<String, Object> fields = entry.getFieldsV1().getAdditionalProperties();
            writeSorted(generator, fields == null ? Map.of() : fields);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static void writeSorted(JsonGenerator generator, Object value) throws java.io.IOException {
        if (value instanceof Map<?, ?> map && map.keySet().stream().allMatch(k -> k instanceof String)) {
            generator.writeStartObject();
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            for (Map.Entry<String, Object> field : (fields instanceof java.util.SortedMap<String, Object> sorted
                    && sorted.comparator() == null ? sorted : new java.util.TreeMap<>(fields)).entrySet()) {
                generator.writeFieldName(field.getKey());
                writeSorted(generator, field.getValue());
            }
            generator.writeEndObject();
        } else {
            generator.writeObject(value); // not a map (never in fieldsV1): as the mapper writes it, maps sorted
        }
    }
}
