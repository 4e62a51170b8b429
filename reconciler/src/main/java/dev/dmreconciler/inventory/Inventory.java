package dev.dmreconciler.inventory;

import dev.dmreconciler.resource.ObjectKey;
import java.util.Map;
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

    /** @param scope the Data Manager namespace the object was rendered for, or "" for operator scope */
    public record Entry(String apiVersion, String scope, String hash, String fingerprint) {
    }

    public static Inventory empty(String environment, String application) {
        return new Inventory(environment, application, new TreeMap<>());
    }

    public Inventory with(Map<ObjectKey, Entry> newEntries) {
        return new Inventory(environment, application, new TreeMap<>(newEntries));
    }
}
