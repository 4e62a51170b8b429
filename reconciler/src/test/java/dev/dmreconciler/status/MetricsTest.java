package dev.dmreconciler.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2025-03-01T12:00:00.250Z"));
    private final Metrics metrics = new Metrics(clock);

    @Test
    void everyMetricIsExposedUnderItsDocumentedNameAndType() {
        metrics.reconcileFinished("dev", Duration.ofMillis(1500), Map.of("created", 3L), null);
        metrics.gitFetchFinished(Duration.ofMillis(200), true);
        String scrape = metrics.scrape();

        assertTrue(scrape.contains("# TYPE dmr_reconcile_duration_seconds histogram\n"), scrape);
        assertTrue(scrape.contains("# TYPE dmr_objects_total counter\n"), scrape);
        assertTrue(scrape.contains("# TYPE dmr_reconcile_errors_total counter\n"), scrape);
        assertTrue(scrape.contains("# TYPE dmr_last_success_timestamp_seconds gauge\n"), scrape);
        assertTrue(scrape.contains("# TYPE dmr_git_fetch_duration_seconds histogram\n"), scrape);
        assertFalse(scrape.contains("_seconds_seconds") || scrape.contains("_total_total"), scrape);
    }

    @Test
    void reconcileDurationIsAHistogramPerEnvironment() {
        metrics.reconcileFinished("dev", Duration.ofMillis(1500), Map.of(), null);
        metrics.reconcileFinished("dev", Duration.ofSeconds(3), Map.of(), "apply");
        metrics.reconcileFinished("prod", Duration.ofMillis(50), Map.of(), null);
        String scrape = metrics.scrape();

        assertEquals(2.0, value(scrape, "dmr_reconcile_duration_seconds_count{environment=\"dev\"}"));
        assertEquals(4.5, value(scrape, "dmr_reconcile_duration_seconds_sum{environment=\"dev\"}"), 1e-9);
        assertEquals(1.0, value(scrape, "dmr_reconcile_duration_seconds_bucket{environment=\"dev\",le=\"2.147483647\"}"));
        assertEquals(2.0, value(scrape, "dmr_reconcile_duration_seconds_bucket{environment=\"dev\",le=\"+Inf\"}"));
        assertEquals(1.0, value(scrape, "dmr_reconcile_duration_seconds_bucket{environment=\"prod\",le=\"+Inf\"}"));
    }

    @Test
    void objectsAreCountedByOutcomeAcrossReconciles() {
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of("created", 3L, "unchanged", 10L), null);
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of("created", 2L, "failed", 1L), "apply");
        String scrape = metrics.scrape();

        assertEquals(5.0, value(scrape, "dmr_objects_total{environment=\"dev\",outcome=\"created\"}"));
        assertEquals(10.0, value(scrape, "dmr_objects_total{environment=\"dev\",outcome=\"unchanged\"}"));
        assertEquals(1.0, value(scrape, "dmr_objects_total{environment=\"dev\",outcome=\"failed\"}"));
        assertEquals(0.0, value(scrape, "dmr_objects_total{environment=\"dev\",outcome=\"deleted\"}"),
                "known outcomes start at zero so rate() sees their first increase");
    }

    @Test
    void errorsAreCountedByReason() {
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of(), "render");
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of(), "render");
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of(), null);
        String scrape = metrics.scrape();

        assertEquals(2.0, value(scrape, "dmr_reconcile_errors_total{environment=\"dev\",reason=\"render\"}"));
        assertEquals(0.0, value(scrape, "dmr_reconcile_errors_total{environment=\"dev\",reason=\"leadership\"}"));
    }

    @Test
    void lastSuccessIsAbsentUntilOneSucceededThenTheEpochSecondsOfTheLatest() {
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of(), "git");
        assertFalse(metrics.scrape().contains("dmr_last_success_timestamp_seconds{"), "no success yet");

        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of(), null);
        assertEquals(1740830400.25, value(metrics.scrape(), "dmr_last_success_timestamp_seconds{environment=\"dev\"}"));

        clock.set(Instant.parse("2025-03-01T12:05:00Z"));
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of(), null);
        clock.set(Instant.parse("2025-03-01T12:10:00Z"));
        metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of(), "api");
        assertEquals(1740830700.0, value(metrics.scrape(), "dmr_last_success_timestamp_seconds{environment=\"dev\"}"),
                "a failure leaves the last success alone");
    }

    @Test
    void gitFetchDurationIsAHistogramBySuccessAndFailure() {
        metrics.gitFetchFinished(Duration.ofMillis(300), true);
        metrics.gitFetchFinished(Duration.ofMillis(400), true);
        metrics.gitFetchFinished(Duration.ofSeconds(20), false);
        String scrape = metrics.scrape();

        assertEquals(2.0, value(scrape, "dmr_git_fetch_duration_seconds_count{outcome=\"success\"}"));
        assertEquals(1.0, value(scrape, "dmr_git_fetch_duration_seconds_count{outcome=\"failure\"}"));
        assertEquals(2.0, value(scrape, "dmr_git_fetch_duration_seconds_bucket{outcome=\"success\",le=\"+Inf\"}"));
        assertEquals(0.0, value(scrape, "dmr_git_fetch_duration_seconds_bucket{outcome=\"failure\",le=\"17.179869184\"}"));
    }

    @Test
    void negativeCountsAreRejectedBeforeAnythingIsRecorded() {
        assertThrows(IllegalArgumentException.class,
                () -> metrics.reconcileFinished("dev", Duration.ofSeconds(1), Map.of("created", -1L), null));
        assertFalse(metrics.scrape().contains("environment=\"dev\""));
    }

    @Test
    void theRegistryIsTheOneScraped() {
        metrics.registry().counter("dmr.extra").increment();

        assertEquals(1.0, value(metrics.scrape(), "dmr_extra_total"));
    }

    /** The value of one series in the text exposition; fails when the series is absent. */
    static double value(String scrape, String series) {
        Optional<String> line = scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst();
        assertTrue(line.isPresent(), () -> "no series " + series + " in\n" + scrape);
        return Double.parseDouble(line.get().substring(series.length() + 1).trim());
    }

    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
