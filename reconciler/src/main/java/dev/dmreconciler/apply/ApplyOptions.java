package dev.dmreconciler.apply;

import java.time.Duration;

/**
 * @param fieldManager   server-side apply field manager
 * @param forceConflicts take fields other managers own (reported), as kubectl apply --server-side --force-conflicts
 * @param concurrency    Data Manager namespaces applied at once
 * @param crdTimeout     how long to wait for a CRD to be Established and served
 * @param adopt          take over existing objects that are not ours ({@code --adopt}, for migrating from the
 *                       playbooks); otherwise they are refused unless the object or environment asks for it
 * @param replaceTimeout how long a replacement ({@code recreate}) waits for the old object to be gone before it
 *                       fails, naming the finalizers that hold it
 */
public record ApplyOptions(String fieldManager, boolean forceConflicts, int concurrency, Duration crdTimeout,
                           boolean adopt, Duration replaceTimeout) {

    /** Default wait for a replaced object to go away. */
    public static final Duration REPLACE_TIMEOUT = Duration.ofSeconds(60);

    public ApplyOptions(String fieldManager, boolean forceConflicts, int concurrency, Duration crdTimeout) {
        this(fieldManager, forceConflicts, concurrency, crdTimeout, false);
    }

    public ApplyOptions(String fieldManager, boolean forceConflicts, int concurrency, Duration crdTimeout, boolean adopt) {
        this(fieldManager, forceConflicts, concurrency, crdTimeout, adopt, REPLACE_TIMEOUT);
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions("dm-reconciler", true, 8, Duration.ofSeconds(60));
    }

    public ApplyOptions withAdopt(boolean adopt) {
        return new ApplyOptions(fieldManager, forceConflicts, concurrency, crdTimeout, adopt, replaceTimeout);
    }

    public ApplyOptions withReplaceTimeout(Duration replaceTimeout) {
        return new ApplyOptions(fieldManager, forceConflicts, concurrency, crdTimeout, adopt, replaceTimeout);
    }
}
