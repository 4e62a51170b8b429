package dev.dmreconciler.controller;

import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.kube.KubeConnector;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.kube.WriteFence;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.Rules;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.source.GitAuth;
import dev.dmreconciler.source.GitSource;
import dev.dmreconciler.source.GitTree;
import dev.dmreconciler.status.Metrics;
import dev.dmreconciler.status.StatusSource;
import dev.dmreconciler.watch.InventoryCache;
import dev.dmreconciler.watch.WatchCache;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.quartz.SchedulerException;

/**
 * The long-running reconciler: fetches the configuration repository on a schedule (or at once on a webhook),
 * and keeps every environment that targets this cluster converged.
 *
 * <ul>
 *   <li>A new commit triggers every environment; a resync triggers them all again without a new commit (drift
 *       repair). An environment never has two passes at once, and a slow one does not hold up the others
 *       ({@link Schedule}).</li>
 *   <li>A commit that does not render for an environment applies nothing of it: the last good revision stays
 *       in force (resyncs re-apply it) and /status says why.</li>
 *   <li>Only the leader writes ({@link Leadership}); a failing git remote or API server is retried with
 *       backoff while the last good state keeps being served.</li>
 * </ul>
 */
public final class Controller implements StatusSource, AutoCloseable {

    /** Everything {@code run} is configured with. */
    public record Settings(String repository, String referenceKind, String referenceName, Set<String> environments,
                           String cluster, Duration interval, Duration resync, ApplyOptions applyOptions,
                           PrunePolicy prunePolicy, String inventoryNamespace, boolean leaderElect, String leaseNamespace,
                           String leaseName, String identity, Path cacheDir, GitAuth auth) {
    }

    /** The first retry of a failed pass; doubles per failure up to the resync period. */
    static final Duration RETRY_BASE = Duration.ofSeconds(2);
    /**
     * How long close() waits for running passes (they stop writing at once; a request in flight ends within
     * {@link KubeConnector#CONTROLLER_REQUEST_BOUND}) before the lease is released (one more bounded request):
     * together within 20 s, inside a pod's default 30 s grace period.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** How long a pass that wrote waits for the watch to show its writes (normally milliseconds). */
    static final Duration SEEN_WAIT = Duration.ofSeconds(2);

    private final Settings settings;
    private final KubernetesClient client;
    private final Metrics metrics;
    private final Log log;
    private final GitSource git;
    private final EventRecorder events;
    private final Map<String, EnvironmentStatus> statuses = new ConcurrentHashMap<>();
    /** Which form of each environment a pass applies, and its render (see {@link Revisions}). */
    private final Revisions revisions;
    private volatile Set<String> environments = Set.of();
    private volatile ObjectId head;
    private volatile Instant lastFetch;
    private volatile String fetchError;
    private volatile int fetchFailures;
    private volatile Instant nextFetch = Instant.EPOCH;
    private volatile boolean stopping;
    private final WriteFence fence;
    private final Leadership leadership;
    private Schedule schedule;
    private WorkQueue queue;
    // the watch cache (package watch): live objects and inventories kept by informers, drift turned into passes
    private final WatchCache watch;
    private final InventoryCache inventoriesSeen;
    private final DriftWatch drift;
    private volatile ResourceTypes types;

    public Controller(Settings settings, KubernetesClient client, Metrics metrics, Log log) {
        this(settings, client, null, metrics, log);
    }

    /**
     * @param fence the client's write fence ({@link KubeConnector#forController}), opened only while this
     *     replica may write; null for a client without one (tests)
     */
    public Controller(Settings settings, KubernetesClient client, WriteFence fence, Metrics metrics, Log log) {
        this.settings = settings;
        this.client = client;
        this.fence = fence;
        this.metrics = metrics;
        this.log = log;
        this.git = new GitSource(settings.repository(), settings.cacheDir(), settings.auth());
        this.revisions = new Revisions(git, settings.cluster(), heap::due);
        this.events = new EventRecorder(client, log);
        String fieldManager = settings.applyOptions().fieldManager();
        this.drift = new DriftWatch(fieldManager, this::drifted, new DriftWatch.Cache() {
            @Override
            public boolean current(dev.dmreconciler.resource.ObjectKey key) {
                return watch.current(key);
            }

            @Override
            public io.fabric8.kubernetes.api.model.GenericKubernetesResource get(dev.dmreconciler.resource.ObjectKey key) {
                return watch.cached(key);
            }
        }).loggingTo(log);
        this.watch = new WatchCache(client, fieldManager, drift);
        this.inventoriesSeen = new InventoryCache(client, settings.inventoryNamespace());
        this.types = new ResourceTypes(client);
        this.leadership = settings.leaderElect()
                ? Leadership.elect(client, fence, settings.leaseNamespace(), settings.leaseName(), settings.identity(),
                        Leadership.LEASE, KubeConnector.CONTROLLER_REQUEST_BOUND.plus(Leadership.SKEW), this::markAllDue, log)
                : Leadership.always();
    }

    /** Policy file, prune-budget override and default identity (README "Guard rails"); set before {@link #start}. */
    public Controller guardedBy(GuardOptions guard) {
        revisions.guardedBy(guard);
        return this;
    }

    public void start() throws SchedulerException {
        queue = new WorkQueue(this::reconcileAndSettle, Math.max(2, settings.applyOptions().concurrency()), RETRY_BASE,
                settings.resync()).whenIdle(heap::atIdle);
        schedule = new Schedule(this, settings.interval(), settings.resync());
        if (fence != null) {
            fence.permitWhile(this::mayWrite);
        }
        leadership.start();
        log.info("started", "repository", git.displayUrl(), "reference", settings.referenceKind() + " " + settings.referenceName(),
                "cluster", settings.cluster(), "interval", settings.interval(), "resync", settings.resync());
        schedule.start();
    }

    /** A valid webhook delivery: fetch now, whatever the backoff. */
    public void requestFetch() {
        nextFetch = Instant.EPOCH;
        schedule.fetchNow();
    }

    /** Fetches; on a new commit triggers every environment. Failures back off exponentially up to 5 minutes. */
    void fetch() {
        if (Instant.now().isBefore(nextFetch)) {
            return;
        }
        long started = System.nanoTime();
        try {
            ObjectId fetched = git.fetch(settings.referenceKind(), settings.referenceName());
            metrics.gitFetchFinished(Duration.ofNanos(System.nanoTime() - started), true);
            lastFetch = Instant.now();
            fetchError = null;
            fetchFailures = 0;
            if (!fetched.equals(head)) {
                Set<String> previous = environments;
                environments = environmentsAt(fetched);
                head = fetched;
                types = new ResourceTypes(client); // a commit may add or remove CRDs: discover again
                log.info("new revision", "revision", fetched.name(), "environments", String.join(",", environments));
                previous.stream().filter(e -> !environments.contains(e)).forEach(e -> removed(e, fetched));
                markAllDue();
            }
        } catch (GitSource.GitException e) {
            metrics.gitFetchFinished(Duration.ofNanos(System.nanoTime() - started), false);
            fetchFailures++;
            fetchError = e.getMessage();
            Duration backoff = backoff(settings.interval(), fetchFailures, Duration.ofMinutes(5));
            nextFetch = Instant.now().plus(backoff);
            log.warn("git fetch failed; serving the last good state", "error", e.getMessage(), "retryIn", backoff);
        }
    }

    /** Every environment again, new commit or not: drift repair. */
    void resync() {
        if (head != null) {
            revisions.forgetFailures(); // what failed may depend on more than the commit (a password, key, variable)
            markAllDue();
        }
    }

    /** A watched object no longer looks as the environment's last pass left it: repair now. */
    private void drifted(String environment, dev.dmreconciler.resource.ObjectKey key) {
        WorkQueue current = queue;
        if (current != null && head != null && environments.contains(environment) && !stopping) {
            log.info("changed in the cluster; reconciling", "env", environment, "object", key);
            current.markDue(environment);
        }
    }

    private void markAllDue() {
        WorkQueue current = queue;
        if (current != null && head != null) {
            environments.forEach(current::markDue);
        }
    }

    /**
     * The environment left git (or this cluster) at {@code revision}: it stops at once (a running pass writes
     * nothing more, no retry is left) and /status keeps it as removed. Its objects stay.
     */
    private void removed(String environment, ObjectId revision) {
        queue.remove(environment);
        revisions.forget(environment);
        drift.forget(environment);
        statuses.computeIfAbsent(environment, e -> new EnvironmentStatus()).removed(revision.name());
        log.warn("environment removed from git: no longer reconciled; its objects stay", "env", environment,
                "revision", revision.name());
    }

    /**
     * A pass, then (its outcome recorded) a wait of at most {@link #SEEN_WAIT} until the watch shows what it
     * wrote, before the environment's next pass may start.
     */
    private WorkQueue.Verdict reconcileAndSettle(String environment) {
        try {
            return reconcile(environment);
        } finally {
            if (!stopping && !queue.removed(environment)) {
                drift.awaitSeen(environment, SEEN_WAIT);
            }
        }
    }

    /**
     * One pass for one environment (never concurrently with itself: see {@link WorkQueue}). What counts as a
     * failure worth retrying: an exception out of the pass (the API server or the network failed while planning)
     * and an object the API server refused or failed on. A skipped namespace (its precondition fails), a revision
     * that does not render and writes stopped by leadership or shutdown are steady states: they wait for the next
     * commit, resync or leadership change.
     */
    WorkQueue.Verdict reconcile(String environment) {
        ObjectId revision = head;
        if (revision == null || stopping || !leadership.isLeader() || queue.removed(environment)) {
            return WorkQueue.Verdict.WAIT;
        }
        EnvironmentStatus status = statuses.computeIfAbsent(environment, e -> new EnvironmentStatus());
        status.attempt(revision.name());
        long started = System.nanoTime();
        long cpuStarted = threadCpuNanos();
        try {
            String rendered = revision.name();
            Rendered desired;
            String errorReason = null;
            try {
                desired = revisions.render(revision, environment, revision);
            } catch (InvalidInputException e) {
                String problems = e.problems().all().stream().filter(Problem::isError).map(ProblemText::of)
                        .collect(Collectors.joining("; "));
                status.renderFailed(revision.name(), problems);
                log.warn("revision does not render; the last good revision stays in force", "env", environment,
                        "revision", revision.name(), "error", problems);
                errorReason = "render";
                rendered = status.lastGoodRevision();
                if (rendered == null) {
                    metrics.reconcileFinished(environment, elapsed(started), Map.of(), errorReason);
                    return WorkQueue.Verdict.WAIT;
                }
                desired = revisions.render(ObjectId.fromString(rendered), environment, revision);
            }
            Rendered chosen = desired;
            ApplyReport report = watched(environment, () -> new ApplyPass(client, settings.applyOptions(),
                    settings.prunePolicy(), settings.inventoryNamespace()).guardedBy(chosen.rules(), chosen.allowMassPrune())
                    .readingFrom(watch::live, types, inventoriesSeen)
                    .run(chosen.desired(), null, () -> mayWrite() && !queue.removed(environment),
                            revisions.clusterAt(revision).wantedElsewhere(environment, chosen.desired().environment().cluster())));
            events.record(environment, rendered, report, () -> mayWrite() && !queue.removed(environment));
            status.applied(rendered, report, errorReason == null);
            if (report.succeeded()) {
                revisions.succeeded(environment, desired);
            } else {
                errorReason = report.results().stream().anyMatch(r -> r.reason() == dev.dmreconciler.plan.Reason.WRITING_STOPPED)
                        ? "leadership" : "apply";
            }
            metrics.reconcileFinished(environment, elapsed(started), outcomes(report), errorReason);
            log.info("reconciled", "env", environment, "revision", rendered, "result", ApplyReport.summary(report.results()),
                    "ms", elapsed(started).toMillis(), "cpuMs", (threadCpuNanos() - cpuStarted) / 1_000_000);
            report.results().stream().filter(r -> r.outcome().notConverged()).forEach(r -> log.warn("object not applied",
                    "env", environment, "ns", r.change().scopeName(), "object", r.change().key(), "error", r.message()));
            releaseHeapAfter(report);
            return verdict(report);
        } catch (RuntimeException e) {
            String message = causes(e);
            status.failed("reconcile failed: " + message);
            metrics.reconcileFinished(environment, elapsed(started), Map.of(), "api");
            log.warn("reconcile failed", "env", environment, "error", message, "retryIn",
                    backoff(RETRY_BASE, queue.failures(environment) + 1, settings.resync()));
            return WorkQueue.Verdict.RETRY;
        }
    }

    /** A pass that wrote at least this many objects is a cold one: the heap it grew is given back (see {@link HeapRelease}). */
    static final int COLD_PASS_WRITES = 1000;
    /** Full collections between passes, so the heap is sized to what the process keeps (see {@link HeapRelease}). */
    private final HeapRelease heap = HeapRelease.ofThisJvm();

    private void releaseHeapAfter(ApplyReport report) {
        long writes = report.results().stream().filter(r -> r.outcome() != dev.dmreconciler.plan.Outcome.UNCHANGED).count();
        if (writes >= COLD_PASS_WRITES) {
            heap.due();
        }
    }

    /**
     * Runs a pass with the drift watch told of it: events meanwhile are judged against what it leaves. After a
     * pass that threw or met an API error, the next one discovers the API again (a CRD may have gone).
     */
    private ApplyReport watched(String environment, java.util.function.Supplier<ApplyReport> pass) {
        drift.passStarted(environment);
        ApplyReport report = null;
        try {
            report = pass.get();
            return report;
        } finally {
            drift.passEnded(environment, report);
            if (report != null) { // the cache showed an object that was not there as shown: list its type afresh
                report.results().stream().filter(r -> r.reason() == dev.dmreconciler.plan.Reason.STALE_READ)
                        .forEach(r -> watch.distrust(r.change().key()));
            }
            if (report == null || report.results().stream().anyMatch(r -> r.reason() == dev.dmreconciler.plan.Reason.API_ERROR)) {
                types = new ResourceTypes(client); // a CRD or version may have gone; a skipped namespace keeps it
            }
        }
    }

    /**
     * A failed object is retried with backoff; skipped ones (precondition, writes stopped), refused ones and
     * failures no retry can fix (an immutable field without the recreate policy, an invalid policy) wait.
     */
    static WorkQueue.Verdict verdict(ApplyReport report) {
        if (report.results().stream().anyMatch(r -> r.outcome() == dev.dmreconciler.plan.Outcome.FAILED
                && r.reason() != dev.dmreconciler.plan.Reason.IMMUTABLE_FIELD
                && r.reason() != dev.dmreconciler.plan.Reason.INVALID_POLICY)) {
            return WorkQueue.Verdict.RETRY;
        }
        return report.succeeded() ? WorkQueue.Verdict.DONE : WorkQueue.Verdict.WAIT;
    }

    /** An environment rendered and checked against its policy at {@code revision}, for the passes at {@code head}. */
    record Rendered(ObjectId revision, ObjectId head, DesiredState desired, Rules rules, boolean allowMassPrune) {
    }

    /** Environments of the repository at a revision that target this cluster (or those named with --env). */
    private Set<String> environmentsAt(ObjectId revision) {
        if (!settings.environments().isEmpty()) {
            return settings.environments();
        }
        Set<String> selected = new TreeSet<>();
        try (GitTree tree = git.tree(revision)) {
            ConfigRepo repo = new ConfigRepo(tree, System::getenv);
            for (String name : repo.loader().names()) {
                Problems problems = new Problems();
                Environment environment = repo.loader().load(name, null, problems);
                // broken now: keep it (its last good revision stays in force) or, if it never loaded, go by the
                // cluster its file names, so an environment broken since its first commit is reported, not hidden
                boolean ours = environment != null ? environment.cluster().equals(settings.cluster())
                        : environments.contains(name) || settings.cluster().equals(declaredCluster(tree, name));
                if (ours) {
                    selected.add(name);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read revision " + revision.name(), e);
        }
        return Set.copyOf(selected);
    }

    private static final java.util.regex.Pattern CLUSTER_LINE = java.util.regex.Pattern.compile(
            "(?m)^(?:cluster|" + dev.dmreconciler.params.EnvironmentLoader.CLUSTER_KEY + ")\\s*:\\s*['\"]?([^'\"\\s#]+)");

    /** The cluster an environment file names, read as text (it need not parse): the default when it names none. */
    static String declaredCluster(GitTree tree, String name) throws IOException {
        for (String extension : java.util.List.of(".yaml", ".yml")) {
            var content = tree.read(dev.dmreconciler.params.EnvironmentLoader.ENVIRONMENTS_DIR + "/" + name + extension);
            if (content.isPresent()) {
                var matcher = CLUSTER_LINE.matcher(new String(content.get(), java.nio.charset.StandardCharsets.UTF_8));
                return matcher.find() ? matcher.group(1) : dev.dmreconciler.params.EnvironmentLoader.DEFAULT_CLUSTER;
            }
        }
        return null;
    }

    /** Not stopping, and the lease (if elected) is held with enough left for a request's own timeout. */
    private boolean mayWrite() {
        return !stopping && leadership.mayWrite();
    }

    /** Fetched once, and able to lead (the campaign loop runs). A standby is ready: it serves /status. */
    @Override
    public boolean ready() {
        return head != null && leadership.alive();
    }

    @Override
    public boolean live() {
        return leadership.alive();
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("ready", ready());
        status.put("repository", git.displayUrl());
        status.put("reference", settings.referenceKind() + " " + settings.referenceName());
        status.put("cluster", settings.cluster());
        status.put("fetchedRevision", head == null ? null : head.name());
        status.put("lastFetch", lastFetch == null ? null : lastFetch.toString());
        status.put("fetchError", fetchError);
        status.put("leader", leadership.isLeader());
        status.put("leadership", leadership.state());
        status.put("identity", settings.identity());
        Map<String, Object> perEnvironment = new TreeMap<>();
        environments.forEach(e -> statuses.computeIfAbsent(e, k -> new EnvironmentStatus()));
        statuses.forEach((e, s) -> perEnvironment.put(e, s.toMap())); // removed ones too
        status.put("environments", perEnvironment);
        Map<String, Object> watching = new TreeMap<>(watch.counts());
        watching.put("inventories", inventoriesSeen.state());
        status.put("watch", watching);
        return status;
    }

    /** Stops scheduling, lets a running pass finish or abandon its remaining writes, releases the lease. */
    @Override
    public void close() {
        stopping = true;
        if (schedule != null) {
            schedule.close();
        }
        if (queue != null && !queue.close(SHUTDOWN_GRACE)) {
            log.warn("a pass did not end within the grace period; abandoned", "graceSeconds", SHUTDOWN_GRACE.toSeconds());
        }
        leadership.close();
        watch.close();
        inventoriesSeen.close();
        Thread closing = new Thread(git::close, "git-close"); // waits for a fetch in progress (its own timeout)
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopped");
    }

    static Duration backoff(Duration base, int attempt, Duration max) {
        long factor = 1L << Math.min(20, Math.max(0, attempt - 1));
        Duration delay = base.multipliedBy(factor);
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** The messages of an exception and its causes ("… failed: Connection refused"), each once. */
    static String causes(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()).strip());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && message.indexOf(cause.getMessage()) < 0) {
                message.append(": ").append(cause.getMessage().strip());
            }
        }
        return message.toString();
    }

    /** CPU time of the pass's own thread (its writes run on the applier's threads), for the log: 0 if not measurable. */
    private static long threadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? Math.max(0, threads.getCurrentThreadCpuTime()) : 0;
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static Map<String, Long> outcomes(ApplyReport report) {
        Map<dev.dmreconciler.plan.Outcome, Long> counts = new EnumMap<>(dev.dmreconciler.plan.Outcome.class);
        report.results().forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
        Map<String, Long> byWord = new LinkedHashMap<>();
        counts.forEach((outcome, count) -> byWord.put(outcome.name().toLowerCase(), count));
        return byWord;
    }
}
