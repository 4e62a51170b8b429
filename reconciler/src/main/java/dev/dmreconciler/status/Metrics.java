package dev.dmreconciler.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The controller's Prometheus metrics. Exposed names (as {@link #scrape()} writes them):
 *
 * <ul>
 *   <li>{@code dmr_reconcile_duration_seconds{environment}}: histogram of reconcile durations, failed ones
 *       included ({@code _bucket}, {@code _count}, {@code _sum}; Micrometer adds the gauge
 *       {@code dmr_reconcile_duration_seconds_max}). Buckets span 10 ms to 10 min.
 *   <li>{@code dmr_objects_total{environment,outcome}}: objects per outcome word
 *       (created, configured, unchanged, deleted, kept, skipped, failed).
 *   <li>{@code dmr_reconcile_errors_total{environment,reason}}: failed reconciles per reason word
 *       (render, apply, git, api, leadership).
 *   <li>{@code dmr_last_success_timestamp_seconds{environment}}: Unix time of the last successful reconcile;
 *       absent until one succeeded, so {@code time() - dmr_last_success_timestamp_seconds} never alerts on a
 *       made-up zero.
 *   <li>{@code dmr_git_fetch_duration_seconds{outcome="success|failure"}}: histogram of git fetch durations
 *       (and {@code _max}), buckets 10 ms to 2 min.
 *   <li>{@code dmr_api_requests_total{method}}: HTTP requests the reconciler sent to the API server (method
 *       {@code WATCH}: an informer opening its watch, every 5–10 minutes; lease renewals; passes), once {@link #countRequests} is called; with the watch cache current, an
 *       unchanged resync adds nothing.
 * </ul>
 *
 * The known outcome and reason words of an environment are registered at zero when it first reports, and both
 * git outcomes at construction: a counter that springs into existence at 1 hides its first increase from
 * {@code rate()} and {@code increase()}.
 */
public final class Metrics {

    static final String RECONCILE_DURATION = "dmr.reconcile.duration";
    static final String OBJECTS = "dmr.objects";
    static final String RECONCILE_ERRORS = "dmr.reconcile.errors";
    static final String LAST_SUCCESS = "dmr.last.success.timestamp.seconds";
    static final String GIT_FETCH_DURATION = "dmr.git.fetch.duration";

    static final List<String> OUTCOMES = List.of("created", "configured", "unchanged", "deleted", "kept", "skipped", "failed");
    static final List<String> REASONS = List.of("render", "apply", "git", "api", "leadership");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    /** Strong references: Micrometer holds a gauge's state object only weakly. */
    private final Map<String, AtomicReference<Double>> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seenEnvironments = new ConcurrentHashMap<>();
    private volatile java.util.function.ToLongFunction<String> requestCounts;

    public Metrics() {
        this(Clock.systemUTC());
    }

    Metrics(Clock clock) {
        this.clock = clock;
        gitFetchTimer("success");
        gitFetchTimer("failure");
    }

    /** Exposes a request count by HTTP method (GET, WATCH, POST, PUT, PATCH, DELETE) as {@code dmr_api_requests_total}. */
    public void countRequests(java.util.function.ToLongFunction<String> byMethod) {
        requestCounts = byMethod; // held strongly here: Micrometer keeps a function counter's state only weakly
        for (String method : List.of("GET", "WATCH", "POST", "PUT", "PATCH", "DELETE")) {
            io.micrometer.core.instrument.FunctionCounter.builder("dmr.api.requests", byMethod,
                    f -> f.applyAsLong(method)).tag("method", method).register(registry);
        }
    }

    /**
     * One reconcile of an environment finished.
     *
     * @param outcomes counts by outcome word ("created", "configured", "unchanged", "deleted", "kept", "skipped",
     *     "failed"); each added to {@code dmr_objects_total}
     * @param errorReason null when the reconcile succeeded, else a short stable reason word ("render", "apply",
     *     "git", "api", "leadership"); it becomes a label value, so never put a message here
     * @throws IllegalArgumentException for a negative count: counters only go up
     */
    public void reconcileFinished(String environment, Duration duration, Map<String, Long> outcomes, String errorReason) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcomes, "outcomes");
        outcomes.forEach((outcome, count) -> {
            if (count == null || count < 0) {
                throw new IllegalArgumentException("count of outcome " + outcome + " must be >= 0: " + count);
            }
        });
        if (seenEnvironments.putIfAbsent(environment, Boolean.TRUE) == null) {
            OUTCOMES.forEach(outcome -> objects(environment, outcome));
            REASONS.forEach(reason -> errors(environment, reason));
        }
        Timer.builder(RECONCILE_DURATION)
                .description("Duration of one reconcile of an environment, failed ones included")
                .tag("environment", environment)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)
                .record(duration);
        outcomes.forEach((outcome, count) -> objects(environment, outcome).increment(count));
        if (errorReason != null) {
            errors(environment, errorReason).increment();
            return;
        }
        double now = clock.millis() / 1000.0;
        lastSuccess.computeIfAbsent(environment, env -> {
            AtomicReference<Double> holder = new AtomicReference<>(now);
            Gauge.builder(LAST_SUCCESS, holder, AtomicReference::get)
                    .description("Unix time of the last successful reconcile of the environment")
                    .tag("environment", env)
                    .register(registry);
            return holder;
        }).set(now);
    }

    /** A git fetch finished. */
    public void gitFetchFinished(Duration duration, boolean succeeded) {
        gitFetchTimer(succeeded ? "success" : "failure").record(Objects.requireNonNull(duration, "duration"));
    }

    /** Prometheus text exposition (format 0.0.4) of everything. */
    public String scrape() {
        return registry.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }

    private Counter objects(String environment, String outcome) {
        return Counter.builder(OBJECTS)
                .description("Objects handled by reconciles, by outcome")
                .tags("environment", environment, "outcome", outcome)
                .register(registry);
    }

    private Counter errors(String environment, String reason) {
        return Counter.builder(RECONCILE_ERRORS)
                .description("Failed reconciles, by reason")
                .tags("environment", environment, "reason", reason)
                .register(registry);
    }

    private Timer gitFetchTimer(String outcome) {
        return Timer.builder(GIT_FETCH_DURATION)
                .description("Duration of one git fetch")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }
}
