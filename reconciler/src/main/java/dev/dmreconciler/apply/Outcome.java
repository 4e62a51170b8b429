package dev.dmreconciler.apply;

/** What happened to one object: the one vocabulary for output, inventory and (later) events and metrics. */
public enum Outcome {
    CREATED, CONFIGURED, UNCHANGED, DELETED, KEPT, SKIPPED, FAILED;

    public boolean failedOrSkipped() {
        return this == FAILED || this == SKIPPED;
    }
}
