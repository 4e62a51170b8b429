package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM options for {@code run} (bin/run-options.bash), run by bash against fake /proc and
 * /sys/fs/cgroup trees: the heap's ceiling from the machine's memory or the cgroup's limit (v2 and v1, nested or at
 * the root, "max" and v1's "unlimited"), its floor and override, and the options that must always be there.
 */
class RunLauncherTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path dir;

    /** A machine with {@code memTotalKb} of memory whose process is in cgroup {@code cgroupLine} (/proc/self/cgroup). */
    private Path proc(long memTotalKb, String cgroupLines) throws IOException {
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       " + memTotalKb + " kB\nMemFree:        1000 kB\n");
        Files.writeString(proc.resolve("self/cgroup"), cgroupLines);
        return proc;
    }

    private Path file(String path, String content) throws IOException {
        Path file = dir.resolve("sys").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n");
        return file;
    }

    private String bash(String function, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "source \"$0\" && " + function + " \"$@\"", TestRepo.projectRoot().resolve("bin/run-options.bash").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("RECONCILER_RUN_MAX_HEAP");
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    private String maxHeap(Path proc) throws Exception {
        return bash("run_max_heap", Map.of(), proc.toString(), dir.resolve("sys").toString());
    }

    @Test
    void aQuarterOfTheMachineWithoutACgroupLimit() throws Exception {
        Path proc = proc(24 * GIB / 1024, "0::/user.slice/session-1.scope\n");
        file("user.slice/session-1.scope/memory.max", "max");
        assertEquals("6144m", maxHeap(proc));
    }

    @Test
    void aQuarterOfTheCgroupV2LimitOfTheProcesssOwnCgroup() throws Exception {
        Path proc = proc(24 * GIB / 1024, "0::/kubepods/pod1/c1\n");
        file("kubepods/pod1/c1/memory.max", String.valueOf(4 * GIB));
        file("memory.max", "max");
        assertEquals("1024m", maxHeap(proc));
    }

    /** A ':' in the path is part of it (review S11-F9: it was cut there, and the host's memory was used). */
    @Test
    void aCgroupPathWithAColon() throws Exception {
        Path proc = proc(64 * GIB / 1024, "0::/a:b\n");
        file("a:b/memory.max", String.valueOf(2 * GIB));
        assertEquals("512m", maxHeap(proc));
        proc = proc(64 * GIB / 1024, "11:memory:/docker/x:y\n");
        file("memory/docker/x:y/memory.limit_in_bytes", String.valueOf(2 * GIB));
        assertEquals("512m", maxHeap(proc));
    }

    @Test
    void theCgroupV2RootWhenTheContainerSeesItsOwnCgroupAsRoot() throws Exception {
        Path proc = proc(24 * GIB / 1024, "0::/\n");
        file("memory.max", String.valueOf(2 * GIB));
        assertEquals("512m", maxHeap(proc));
    }

    @Test
    void aCgroupV1Limit() throws Exception {
        Path proc = proc(24 * GIB / 1024, "12:cpu,cpuacct:/docker/abc\n11:memory:/docker/abc\n");
        file("memory/docker/abc/memory.limit_in_bytes", String.valueOf(3 * GIB));
        assertEquals("768m", maxHeap(proc));
    }

    @Test
    void cgroupV1WithoutALimitIsItsHugeNumberAndLoses() throws Exception {
        Path proc = proc(8 * GIB / 1024, "11:memory:/\n");
        file("memory/memory.limit_in_bytes", "9223372036854771712");
        assertEquals("2048m", maxHeap(proc));
    }

    @Test
    void aLimitAboveTheMachinesMemoryLosesToTheMachine() throws Exception {
        Path proc = proc(4 * GIB / 1024, "0::/big\n");
        file("big/memory.max", String.valueOf(64 * GIB));
        assertEquals("1024m", maxHeap(proc));
    }

    @Test
    void atLeast384MiBAndTheOverrideWins() throws Exception {
        Path proc = proc(24 * GIB / 1024, "0::/small\n");
        file("small/memory.max", String.valueOf(512L * 1024 * 1024));
        assertEquals("384m", maxHeap(proc));
        assertEquals("2g", bash("run_max_heap", Map.of("RECONCILER_RUN_MAX_HEAP", "2g"), proc.toString(),
                dir.resolve("sys").toString()));
    }

    @Test
    void nothingReadableStillGivesTheFloor() throws Exception {
        assertEquals("384m", bash("run_max_heap", Map.of(), dir.resolve("none").toString(), dir.resolve("none").toString()));
    }

    @Test
    void runsOptionsAlwaysEndTheProcessOnOutOfMemoryAndTrimOnlyWhereTheJvmHasIt() throws Exception {
        Path proc = proc(24 * GIB / 1024, "0::/c\n");
        file("c/memory.max", String.valueOf(2 * GIB));
        Path oldJava = dir.resolve("old-java");
        Files.writeString(oldJava, "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in -XX:TrimNativeHeapInterval=*) exit 1;; esac; done\n");
        assertTrue(oldJava.toFile().setExecutable(true));
        String sys = dir.resolve("sys").toString();
        String old = bash("run_java_opts", Map.of(), proc.toString(), sys, oldJava.toString());
        assertEquals("-XX:+UseSerialGC -Xms32m -Xmx512m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 "
                + "-XX:-ShrinkHeapInSteps -Xss512k -XX:+ExitOnOutOfMemoryError -Dio.netty.allocator.numDirectArenas=1 "
                + "-Dio.netty.allocator.maxOrder=7", old);
        Path newJava = dir.resolve("new-java");
        Files.writeString(newJava, "#!/bin/sh\nexit 0\n");
        assertTrue(newJava.toFile().setExecutable(true));
        assertEquals(old + " -XX:TrimNativeHeapInterval=1000",
                bash("run_java_opts", Map.of(), proc.toString(), sys, newJava.toString()));
    }
}
