package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dmreconciler.TestRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/reconciler runs java as its child (to manage the class-data archive): a signal sent to the launcher or to the
 * JVM itself must end the command as it would end any Java program — Ctrl-C with 130, and the JVM must handle SIGINT
 * and SIGQUIT itself (bash starts a background command with both ignored, and a JVM keeps an ignored signal ignored).
 * Both launcher branches are run: the first run (which records the classes and then writes the archive) and a run that
 * maps the archive. Needs the packaged jar, hence an IT.
 */
class LauncherSignalsIT {

    private static final int SIGINT = 2;
    private static final int SIGQUIT = 3;

    @TempDir
    Path dir;

    /** {@code secret encrypt} waits for the value on stdin: a command that stays up until it is stopped. */
    private Process encrypt() throws IOException {
        Files.writeString(dir.resolve("pw"), "a-password\n");
        ProcessBuilder builder = new ProcessBuilder(TestRepo.projectRoot().resolve("bin/reconciler").toString(),
                "secret", "encrypt", "--vault-password-file", dir.resolve("pw").toString(), "db_password")
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().put("RECONCILER_CACHE_DIR", dir.resolve("cache").toString());
        builder.environment().remove("RECONCILER_CDS");
        return builder.start();
    }

    /** The launcher's java child, once its JVM has installed its own handlers for SIGINT and SIGQUIT. */
    private long javaHandlingSignals(Process launcher) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "no java child";
        while (System.nanoTime() < deadline) {
            assertTrue(launcher.isAlive(), () -> "the launcher ended early: " + read("err"));
            for (ProcessHandle child : launcher.children().toList()) {
                Path status = Path.of("/proc", Long.toString(child.pid()), "status");
                List<String> lines = Files.exists(status) ? Files.readAllLines(status) : List.of();
                long caught = mask(lines, "SigCgt:");
                long ignored = mask(lines, "SigIgn:");
                last = "SigCgt " + Long.toHexString(caught) + ", SigIgn " + Long.toHexString(ignored);
                if (bit(caught, SIGINT) && bit(caught, SIGQUIT)) {
                    assertTrue(!bit(ignored, SIGINT) && !bit(ignored, SIGQUIT), last);
                    return child.pid();
                }
            }
            Thread.sleep(50);
        }
        return fail("the JVM never handled SIGINT and SIGQUIT itself: " + last);
    }

    private static long mask(List<String> status, String field) {
        return status.stream().filter(l -> l.startsWith(field)).findFirst()
                .map(l -> Long.parseLong(l.substring(field.length()).strip(), 16)).orElse(0L);
    }

    private static boolean bit(long mask, int signal) {
        return (mask & (1L << (signal - 1))) != 0;
    }

    private static void kill(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
    }

    private String read(String name) {
        try {
            return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private int ended(Process launcher) throws Exception {
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
        return launcher.exitValue();
    }

    /** Temporary files of an archive in the making (the 30-day cleanup only matches finished names). */
    private List<Path> leftovers() throws IOException {
        Path cds = dir.resolve("cache/cds");
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(f -> f.getFileName().toString().contains(".tmp")).toList();
        }
    }

    @Test
    void ctrlCAtTheLauncherEndsTheCommandWith130InBothBranches() throws Exception {
        // the first run records its classes (and writes no archive when stopped)
        Process first = encrypt();
        javaHandlingSignals(first);
        kill("INT", first.pid());
        assertEquals(130, ended(first), read("err"));
        assertEquals(List.of(), leftovers());

        // a finished run writes the archive ...
        Process writer = encrypt();
        javaHandlingSignals(writer);
        writer.getOutputStream().write("s3cret".getBytes());
        writer.getOutputStream().close();
        assertEquals(0, ended(writer), read("err"));
        assertEquals(List.of(), leftovers());
        try (Stream<Path> files = Files.list(dir.resolve("cache/cds"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".static.jsa")), "no archive was written");
        }

        // ... which the next run maps: the same there
        Process mapped = encrypt();
        javaHandlingSignals(mapped);
        kill("INT", mapped.pid());
        assertEquals(130, ended(mapped), read("err"));
    }

    @Test
    void theJvmItselfStopsOnSigintAndDumpsThreadsOnSigquit() throws Exception {
        Process launcher = encrypt();
        long java = javaHandlingSignals(launcher);
        kill("QUIT", java);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!read("out").contains("Full thread dump") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(read("out").contains("Full thread dump"), "no thread dump after SIGQUIT");
        assertTrue(launcher.isAlive(), "SIGQUIT must not end the command");
        kill("INT", java);
        assertEquals(130, ended(launcher), read("err"));
    }
}
