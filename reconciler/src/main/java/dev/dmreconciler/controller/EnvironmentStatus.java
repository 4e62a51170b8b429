package dev.dmreconciler.controller;

import dev.dmreconciler.apply.ApplyReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the reconciler knows about one environment, for /status: the revision in force (the last one that
 * rendered and applied), the last attempt, the last success, per-scope operation counts and the current error.
 */
final class EnvironmentStatus {

    private String attemptedRevision;
    private Instant lastAttempt;
    private String appliedRevision;
    private Instant lastSuccess;
    private String lastGoodRevision;
    private String error;
    private Map<String, String> scopes = Map.of();
    private String total;
    private java.util.List<String> warnings = java.util.List.of();
    private String removedAt;

    synchronized void attempt(String revision) {
        removedAt = null;
        attemptedRevision = revision;
        lastAttempt = Instant.now();
    }

    synchronized void renderFailed(String revision, String message) {
        error = "revision " + abbreviate(revision) + " does not render: " + message
                + (lastGoodRevision == null ? "" : "; revision " + abbreviate(lastGoodRevision) + " stays in force");
    }

    synchronized void failed(String message) {
        error = message;
    }

    /** A pass ended; {@code rendered} is the revision whose objects were applied. */
    synchronized void applied(String rendered, ApplyReport report, boolean renderedHead) {
        appliedRevision = rendered;
        scopes = new LinkedHashMap<>();
        report.byScope().forEach((scope, results) -> scopes.put(scope, ApplyReport.summary(results)));
        total = ApplyReport.summary(report.results());
        warnings = report.warnings();
        if (report.succeeded()) {
            lastGoodRevision = rendered;
            lastSuccess = Instant.now();
            if (renderedHead) {
                error = null;
            }
        } else {
            error = "apply had failures: " + total
                    + (report.inventoryErrors().isEmpty() ? "" : "; " + String.join("; ", report.inventoryErrors()));
        }
    }

    /** The environment is no longer in git at {@code revision}: not reconciled any more; its objects stay. */
    synchronized void removed(String revision) {
        removedAt = revision;
    }

    /** removed, ready (the last pass converged), failed (see error), or pending (no pass yet). */
    synchronized String state() {
        if (removedAt != null) {
            return "removed";
        }
        if (error != null) {
            return "failed";
        }
        return lastSuccess != null ? "ready" : "pending";
    }

    synchronized String lastGoodRevision() {
        return lastGoodRevision;
    }

    synchronized Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("state", state());
        if (removedAt != null) {
            map.put("removedAt", removedAt);
        }
        map.put("revision", appliedRevision);
        map.put("lastGoodRevision", lastGoodRevision);
        map.put("attemptedRevision", attemptedRevision);
        map.put("lastAttempt", lastAttempt == null ? null : lastAttempt.toString());
        map.put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
        map.put("error", error);
        map.put("total", total);
        map.put("warnings", warnings);
        map.put("scopes", scopes);
        return map;
    }

    static String abbreviate(String revision) {
        return revision == null ? "none" : revision.substring(0, Math.min(12, revision.length()));
    }
}
