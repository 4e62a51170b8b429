package dev.dmreconciler;

import dev.dmreconciler.cli.Main;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.source.DirectoryTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

/** A throw-away configuration repository for tests: the project's real bundles plus test-written files. */
public final class TestRepo {

    private final Path root;

    private TestRepo(Path root) {
        this.root = root;
    }

    /** The project's own repository root (templates/, environments/, …). */
    public static Path projectRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    /** A repository in {@code dir} holding copies of the project's bundle folders and no environments. */
    public static TestRepo withProjectBundles(Path dir) {
        for (String folder : new String[] {"templates", "crds", "rbac"}) {
            copyTree(projectRoot().resolve(folder), dir.resolve(folder));
        }
        return new TestRepo(dir).write("environments/.keep", "");
    }

    /** Adds the test bundle {@code src/test/resources/bundles/NAME} as {@code templates/NAME/}. */
    public TestRepo withTestBundle(String name) {
        copyTree(projectRoot().resolve("reconciler/src/test/resources/bundles/" + name), root.resolve("templates/" + name));
        return this;
    }

    public static TestRepo empty(Path dir) {
        return new TestRepo(dir);
    }

    public Path root() {
        return root;
    }

    public TestRepo write(String path, String content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ConfigRepo open() {
        return open(System::getenv);
    }

    public ConfigRepo open(Function<String, String> getenv) {
        return new ConfigRepo(new DirectoryTree(root), getenv);
    }

    /** Runs the CLI with --repo pointing here (appended after the subcommand). */
    public CliResult cli(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--repo";
        all[2] = root.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliResult.run(all);
    }

    /** Exit code and captured output of one CLI run. */
    public record CliResult(int exitCode, String out, String err) {
        public static CliResult run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
            return new CliResult(code, out.toString(), err.toString());
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
