package dev.dmreconciler.inventory;

import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.SecretPaths;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the reconciler applied for one (environment, application), kept in the cluster. Only objects listed
 * here can ever be pruned: notebook CRs, the children the operator creates and anything made by hand are
 * never in it.
 *
 * @param entries per object: its apiVersion (to delete it later), the hash it was applied with and the
 *                fingerprint of the reconciler's managed fields right after (to see drift without a write)
 */
public record Inventory(String environment, String application, SortedMap<ObjectKey, Entry> entries) {

    /**
     * One object the reconciler owns.
     *
     * @param scope   the Data Manager namespace the object was rendered for, or "" for operator scope
     * @param hash    the desired hash it was applied with (keyed for Secrets, see {@code SecretHashKey})
     * @param pending recorded before the pass wrote it: the write may or may not have happened (the pass was
     *                killed or failed). The next pass treats a pending entry whose object does not exist as
     *                simply gone, and re-applies one whose object exists (its fingerprint is unknown)
     * @param extra   further attributes (kept as they are when read and written again), so another feature can
     *                record something per object without changing the storage format
     */
    public record Entry(String apiVersion, String scope, String hash, String fingerprint, boolean pending,
                        Map<String, String> extra) {

        public Entry {
            extra = extra == null ? Map.of() : Map.copyOf(new TreeMap<>(extra));
        }

        public Entry(String apiVersion, String scope, String hash, String fingerprint) {
            this(apiVersion, scope, hash, fingerprint, false, Map.of());
        }

        /** An entry for an object this pass is about to write, recorded before the write. */
        public static Entry pending(String apiVersion, String scope, String hash) {
            return new Entry(apiVersion, scope, hash, "", true, Map.of());
        }

        /** This entry with one more (or another) {@link #extra} attribute. */
        public Entry withExtra(String key, String value) {
            Map<String, String> more = new TreeMap<>(extra);
            more.put(key, value);
            return new Entry(apiVersion, scope, hash, fingerprint, pending, more);
        }

        /**
         * This entry recording where the object holds its environment's secret values ({@link #SECRET_PATHS};
         * none: the attribute is removed), the same entry when that is what it records already.
         */
        public Entry withSecretPaths(List<String> pointers) {
            String encoded = pointers.isEmpty() ? null : SecretPaths.encode(pointers);
            if (Objects.equals(encoded, extra.get(SECRET_PATHS))) {
                return this;
            }
            Map<String, String> more = new TreeMap<>(extra);
            if (encoded == null) {
                more.remove(SECRET_PATHS);
            } else {
                more.put(SECRET_PATHS, encoded);
            }
            return new Entry(apiVersion, scope, hash, fingerprint, pending, more);
        }

        /** Where the object held its environment's secret values when it was applied (JSON pointers). */
        public List<String> secretPaths() {
            return SecretPaths.decode(extra.get(SECRET_PATHS));
        }

        /*
         * Written out, the same comparison and hash as the record's own: its generated equals and hashCode link a
         * method-handle chain at first use (21 classes spun at run time when a pass compares the inventory it read with
         * the one it would write, at the end of every apply), ≈ 10–20 ms of a one-shot command's CPU.
         */
        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof Entry entry && pending == entry.pending
                    && Objects.equals(apiVersion, entry.apiVersion) && Objects.equals(scope, entry.scope)
                    && Objects.equals(hash, entry.hash) && Objects.equals(fingerprint, entry.fingerprint)
                    && extra.equals(entry.extra);
        }

        @Override
        public int hashCode() {
            int h = Objects.hashCode(apiVersion);
            h = h * 31 + Objects.hashCode(scope);
            h = h * 31 + Objects.hashCode(hash);
            h = h * 31 + Objects.hashCode(fingerprint);
            h = h * 31 + Boolean.hashCode(pending);
            return h * 31 + extra.hashCode();
        }
    }

    /**
     * {@link Entry#extra} of a pending entry: the UID of the object its create wrote to when that object may not be
     * the reconciler's (other managers own fields of it, and who made it is unknown, or the release of the fields
     * the create wrote did not happen). The next pass does not apply such an object again without --adopt.
     */
    public static final String MERGED_INTO = "mergedInto";

    /**
     * {@link Entry#extra} of a pending entry: recorded for a create (the plan saw no object of that name), so the
     * next pass may ask who made the object it finds ({@code Decisions.madeBy}); not for an object the plan saw.
     */
    public static final String CREATE = "create";

    /**
     * {@link Entry#extra}: where the object held one of its environment's secret values when it was applied, as a
     * JSON array of JSON pointers ({@code ["/data/conf"]}; paths, never values). A live diff hides the live values
     * there, which may be a secret the process no longer knows (moved out of the object since, or rotated).
     */
    public static final String SECRET_PATHS = "secretPaths";

    public static Inventory empty(String environment, String application) {
        return new Inventory(environment, application, new TreeMap<>());
    }

    public Inventory with(Map<ObjectKey, Entry> newEntries) {
        return new Inventory(environment, application, new TreeMap<>(newEntries));
    }
}
