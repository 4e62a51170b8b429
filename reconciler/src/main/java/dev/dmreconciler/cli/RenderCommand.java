package dev.dmreconciler.cli;

import dev.dmreconciler.params.Environment;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.resource.Manifests;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.secrets.Redactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints (or writes) the objects one environment would get, in apply order. Needs no cluster. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render an environment's objects in apply order (no cluster needed).")
final class RenderCommand implements Callable<Integer> {

    @Mixin
    RepoOptions repoOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    EnvironmentChoice choice;

    @Option(names = "--app", paramLabel = "APP", description = "Only this application (also picks the application of an Ansible parameter file).")
    String app;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml or json.")
    OutputFormat output;

    @Option(names = "--out", paramLabel = "DIR", description = "Write one file per object under DIR/<environment>/ instead of printing.")
    Path outDir;

    @Spec
    CommandSpec spec;

    enum OutputFormat { yaml, json }

    @Override
    public Integer call() throws IOException {
        DesiredState desired = choice.render(repoOptions.open(), app, spec.commandLine().getErr());
        Environment environment = desired.environment();
        PrintWriter err = spec.commandLine().getErr();
        boolean redacted;
        if (outDir != null) {
            redacted = writeFiles(desired.objects(), outDir.resolve(environment.name()));
            err.println("wrote " + desired.objects().size() + " objects to " + outDir.resolve(environment.name()));
        } else {
            PrintWriter out = spec.commandLine().getOut();
            String text = output == OutputFormat.json ? Manifests.toJson(desired.objects()) : Manifests.toYaml(desired.objects());
            redacted = text.contains(Manifests.REDACTED);
            out.print(text);
            out.flush();
        }
        if (redacted) {
            // the output has the shape of applicable manifests; applied with kubectl it would write the marker itself
            err.println("note: secret values are shown as " + Manifests.REDACTED + ": this output is for reading, not for"
                    + " kubectl apply (bin/reconciler apply sends the real values)");
        }
        return Main.OK;
    }

    /**
     * One file per object under {@code dir}/namespace (or _cluster). Names and namespaces were checked when the
     * objects were read (no '/', no '..'); the containment check is the second lock: a repository's pull request
     * must never choose where a CI job's {@code render --out} writes. Each file passes the redactor, as stdout does.
     *
     * @return whether any file shows a redacted value
     */
    private boolean writeFiles(List<RenderedObject> objects, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        boolean redacted = false;
        int index = 0;
        for (RenderedObject object : objects) {
            index++;
            String scope = object.key().clusterScoped() ? "_cluster" : object.key().namespace();
            String name = String.format("%03d-%s-%s.%s", index, object.key().kind().toLowerCase(), object.key().name(),
                    output == OutputFormat.json ? "json" : "yaml");
            Path file = root.resolve(scope).resolve(name).normalize();
            if (!file.getParent().getParent().equals(root)) {
                throw new IOException("refusing to write " + object.key() + " outside " + root + " (" + file + ")");
            }
            Files.createDirectories(file.getParent());
            if (!file.getParent().toRealPath().startsWith(root.toRealPath())) {
                throw new IOException("refusing to write " + object.key() + " through the link " + file.getParent());
            }
            String text = output == OutputFormat.json ? Manifests.toJson(List.of(object)) : Manifests.toYaml(List.of(object));
            text = Redactor.global().redact(text);
            redacted |= text.contains(Manifests.REDACTED);
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        return redacted;
    }
}
