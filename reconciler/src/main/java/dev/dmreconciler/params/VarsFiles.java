package dev.dmreconciler.params;

import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a bundle's vars file (the role's {@code vars/sensitive-<installation>.vault}) for a parameter file. */
final class VarsFiles {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private VarsFiles() {
    }

    record Found(String label, byte[] content) {
    }

    /** The file name: {@code {var}} replaced by the variable's value (a plain file name, no path). */
    static String name(BundleSecrets.VarsFile varsFile, Map<String, Param> values) {
        Matcher matcher = PLACEHOLDER.matcher(varsFile.pattern());
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            Param param = values.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(param == null ? "" : String.valueOf(param.value())));
        }
        matcher.appendTail(out);
        String name = out.toString();
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw InvalidInputException.of(varsFile.when(), varsFile.when(), "the vars file name '" + name
                    + "' must be a plain file name");
        }
        return name;
    }

    /** Next to the parameter file (in the repository, or on disk for --env-file), then in templates/APP/vars/. */
    static Optional<Found> find(RepoTree tree, String envFile, String app, String name) throws IOException {
        int slash = envFile.lastIndexOf('/');
        String sibling = (slash < 0 ? "" : envFile.substring(0, slash + 1)) + name;
        try {
            Optional<byte[]> inRepo = tree.read(RepoTree.normalize(sibling));
            if (inRepo.isPresent()) {
                return Optional.of(new Found(sibling, inRepo.get()));
            }
        } catch (IllegalArgumentException e) {
            // outside the repository: only on disk
        }
        Path onDisk = Path.of(envFile).toAbsolutePath().resolveSibling(name);
        if (Files.isRegularFile(Path.of(envFile)) && Files.isRegularFile(onDisk)) {
            return Optional.of(new Found(Path.of(envFile).resolveSibling(name).toString(), Files.readAllBytes(onDisk)));
        }
        String bundleVars = BundleLoader.TEMPLATES_DIR + "/" + app + "/vars/" + name;
        return tree.read(bundleVars).map(content -> new Found(bundleVars, content));
    }
}
