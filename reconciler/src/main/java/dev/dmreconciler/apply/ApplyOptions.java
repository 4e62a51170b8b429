package dev.dmreconciler.apply;

import java.time.Duration;

/**
 * @param fieldManager   server-side apply field manager
 * @param forceConflicts take fields other managers own (reported), as kubectl apply --server-side --force-conflicts
 * @param concurrency    Data Manager namespaces applied at once
 * @param crdTimeout     how long to wait for a CRD to be Established and served
 */
public record ApplyOptions(String fieldManager, boolean forceConflicts, int concurrency, Duration crdTimeout) {

    public static ApplyOptions defaults() {
        return new ApplyOptions("dm-reconciler", true, 8, Duration.ofSeconds(60));
    }
}
