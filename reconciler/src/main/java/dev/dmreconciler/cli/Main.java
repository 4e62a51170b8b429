package dev.dmreconciler.cli;

import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.secrets.RedactingWriter;
import dev.dmreconciler.secrets.SecretKeys;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point. Exit codes: 0 success, 1 invalid input (or, for diff, changes), 2 internal error. */
@Command(name = "reconciler", mixinStandardHelpOptions = true, version = "dm-reconciler 0.1.0",
        description = "Renders Kubernetes applications (bundles) from git parameter files and keeps clusters matching them.")
public final class Main implements Runnable {

    /** The commands, in the order {@code --help} lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    public static final int OK = 0;
    public static final int INVALID_INPUT = 1;
    public static final int INTERNAL_ERROR = 2;
    public static final int APPLY_FAILED = 3;

    /** At most this long for closed clients' threads to end before exiting (the JVM's own wait is 300 ms). */
    private static final java.time.Duration EXIT_WAIT_LIMIT = java.time.Duration.ofMillis(250);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Everything the process prints (reports, logs, errors) passes the redactor: the last line of defence.
        System.setOut(RedactingWriter.stream(System.out));
        System.setErr(RedactingWriter.stream(System.err));
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        // the closed clients' I/O threads, which the JVM would otherwise wait 300 ms for (see ClientThreads)
        dev.dmreconciler.kube.ClientThreads.awaitClosed(EXIT_WAIT_LIMIT);
        System.exit(code);
    }

    /** Runs a command line with the given streams and returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter rawOut, PrintWriter rawErr) {
        PrintWriter out = new PrintWriter(new RedactingWriter(rawOut), true);
        PrintWriter err = new PrintWriter(new RedactingWriter(rawErr), true);
        SecretKeys.install(SecretKeys.of(null, null, System.getenv()));
        CommandLine commandLine = new CommandLine(new Main());
        addCommands(commandLine, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(e -> e instanceof InvalidInputException ? INVALID_INPUT : INTERNAL_ERROR);
        commandLine.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return INVALID_INPUT;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof InvalidInputException invalid) {
                invalid.problems().all().forEach(p -> err.println(p));
                err.println(invalid.problems().errorCount() + " error(s)");
                return INVALID_INPUT;
            }
            if (e instanceof dev.dmreconciler.kube.ApiServerUnreachableException unreachable) {
                err.println("error: " + unreachable.getMessage());
                return INTERNAL_ERROR;
            }
            err.println("internal error: " + e);
            if (System.getenv("RECONCILER_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return INTERNAL_ERROR;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("render", RenderCommand::new);
        commands.put("validate", ValidateCommand::new);
        commands.put("apply", ApplyCommand::new);
        commands.put("diff", DiffCommand::new);
        commands.put("promote", PromoteCommand::new);
        commands.put("run", RunCommand::new);
        commands.put("rbac", RbacCommand::new);
        commands.put("secret", SecretCommand::new);
        commands.put("schema", SchemaCommand::new);
        commands.put("help", CommandLine.HelpCommand::new);
        return commands;
    }

    /**
     * A command line naming a command gets only that command's model: picocli reads every registered command's
     * annotations by reflection when it is registered, which a one-shot command pays for at every start. Anything
     * else (no command, {@code help}, an option of the top level, an unknown name) gets every command, so usage,
     * help and "did you mean" are as before.
     */
    private static void addCommands(CommandLine commandLine, String[] args) {
        String named = args.length > 0 && COMMANDS.containsKey(args[0]) && !"help".equals(args[0]) ? args[0] : null;
        COMMANDS.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                commandLine.addSubcommand(name, command.get());
            }
        });
    }

    /** Prints warnings (errors are reported through {@link InvalidInputException}). */
    static void printWarnings(Iterable<Problem> problems, PrintWriter err) {
        for (Problem problem : problems) {
            if (!problem.isError()) {
                err.println(problem);
            }
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
