package dev.dmreconciler.bench;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.resource.Manifests;
import dev.dmreconciler.source.DirectoryTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm render throughput of the example bundle (jupyter-operator) with N Data Manager namespaces, one thread:
 * {@code desired} is environment file → desired objects as apply, diff and each pass of run do it (the environment
 * loaded, a new template engine, so templates are parsed), {@code warmEngine} renders a loaded environment with
 * one engine (templates parsed once), {@code yaml} is {@code desired} plus the {@code render} command's YAML
 * output. The {@code objects} counter is rendered objects per second of wall time; cpuObjects / cpuMicros per
 * CPU time of the rendering thread.
 * Run: scripts/bench-render-jmh.sh (the project root is the system property {@code dmr.home}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
public class RenderBenchmark {

    @Param({"300"})
    public int namespaces;

    private Path work;
    private ConfigRepo repo;
    private Renderer warmRenderer;
    private dev.dmreconciler.params.Environment environment;

    /** Objects rendered, reported by JMH as a rate next to the operations (per second of wall time). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Objects {
        public long objects;
    }

    /**
     * The rendering thread's own CPU time and the objects it rendered in it, as totals per iteration: on a shared
     * machine the wall-time rate measures the neighbours; objects / cpuMicros x 10^6 is objects per CPU second.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        public long cpuMicros;
        public long cpuObjects;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path home = Path.of(System.getProperty("dmr.home", "..")).toAbsolutePath().normalize();
        work = Files.createTempDirectory("dmr-render-bench");
        for (String dir : new String[] {"templates", "crds", "rbac"}) {
            copy(home.resolve(dir), work.resolve(dir));
        }
        StringBuilder env = new StringBuilder("applications:\n  jupyter-operator:\n    values: {jo_image_tag: 33.0.0}\n"
                + "    namespaces:\n");
        for (int i = 1; i <= namespaces; i++) {
            env.append("      dm-").append(i).append(": {jo_cost_cost: '").append(i % 7).append(".00'}\n");
        }
        Files.createDirectories(work.resolve("environments"));
        Files.writeString(work.resolve("environments/big.yaml"), env);
        repo = new ConfigRepo(new DirectoryTree(work), name -> null);
        dev.dmreconciler.params.Problems problems = new dev.dmreconciler.params.Problems();
        environment = repo.loader().load("big", null, problems);
        problems.throwIfErrors();
        warmRenderer = new Renderer(repo, new dev.dmreconciler.render.TemplateEngine(repo.tree()));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public DesiredState desired(Objects counter, Cpu cpu) {
        long start = THREADS.getCurrentThreadCpuTime();
        DesiredState desired = Renderer.renderNamed(repo, "big");
        count(counter, cpu, start, desired);
        return desired;
    }

    /** The environment loaded once and the templates parsed once (one engine): rendering alone. */
    @Benchmark
    public DesiredState warmEngine(Objects counter, Cpu cpu) {
        long start = THREADS.getCurrentThreadCpuTime();
        DesiredState desired = warmRenderer.render(environment, null);
        count(counter, cpu, start, desired);
        return desired;
    }

    @Benchmark
    public String yaml(Objects counter, Cpu cpu) {
        long start = THREADS.getCurrentThreadCpuTime();
        DesiredState desired = Renderer.renderNamed(repo, "big");
        String yaml = Manifests.toYaml(desired.objects());
        count(counter, cpu, start, desired);
        return yaml;
    }

    private static void count(Objects counter, Cpu cpu, long startNanos, DesiredState desired) {
        cpu.cpuMicros += (THREADS.getCurrentThreadCpuTime() - startNanos) / 1000;
        cpu.cpuObjects += desired.objects().size();
        counter.objects += desired.objects().size();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
