package dev.dmreconciler.params;

import dev.dmreconciler.secrets.Redactor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * {@code lookup('env', NAME)} reads only names that an environment or bundle declares <em>and</em> that whoever runs
 * the reconciler allows in its own environment ({@value #OPERATOR_ALLOWED}: names separated by commas or spaces),
 * plus KUBECONFIG (a path; the seed files use it). Declared in the native form's {@code envLookups: [NAME]}, an
 * Ansible-form file's {@code reconciler_env_lookups: [NAME]}, or bundle.yaml's {@code envLookups} — by the
 * repository, so by a pull request: a declaration alone would let one read any variable of the reconciler's process
 * (a CI job's kubeconfig, a token) into an object, its diff or a namespace its author can read, and the redactor
 * cannot stop a value a template prints transformed. The reconciler's own credentials are never readable.
 * Looked-up values are secret.
 */
final class EnvLookups {

    static final String ALWAYS_ALLOWED = "KUBECONFIG";
    /** The process variable (set by whoever runs the reconciler, never by the repository) naming what may be read. */
    static final String OPERATOR_ALLOWED = "RECONCILER_ENV_LOOKUPS";
    /** The reconciler's own credentials and settings: never readable by an environment, whatever is allowed. */
    private static final Set<String> OWN = Set.of("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "ANSIBLE_VAULT_PASSWORD_FILE",
            "GIT_TOKEN", "GIT_SSH_KEY_FILE", "WEBHOOK_SECRET");
    private static final String NOT_ALLOWED = "is not an allowed environment lookup";

    private EnvLookups() {
    }

    /** The names this environment file may look up. */
    static Set<String> allowed(YamlFile yaml, Map<String, Node> top, boolean nativeForm, Map<String, Bundle> bundles) {
        Set<String> allowed = new TreeSet<>(List.of(ALWAYS_ALLOWED));
        Node declared = top.get(nativeForm ? "envLookups" : EnvironmentLoader.ENV_LOOKUPS_KEY);
        if (declared != null && !YamlFile.isNull(declared)) {
            yaml.sequence(declared, "envLookups").forEach(n -> allowed.add(yaml.string(n, "envLookups")));
        }
        Collection<Bundle> relevant = bundles.values();
        if (nativeForm && top.get("applications") != null) {
            Set<String> apps = yaml.mapping(top.get("applications"), "applications").keySet();
            relevant = bundles.values().stream().filter(b -> apps.contains(b.name())).toList();
        }
        relevant.forEach(b -> allowed.addAll(b.secrets().envLookups()));
        return allowed;
    }

    /**
     * getenv restricted to names the environment declared ({@code declared}) that the process's
     * {@value #OPERATOR_ALLOWED} also allows (KUBECONFIG needs neither); every value read is registered as a secret.
     */
    static Function<String, String> allowlist(Function<String, String> getenv, Set<String> declared) {
        return allowlist(getenv, declared, value -> { });
    }

    /** @param read told each value read (the environment's own secret values) */
    static Function<String, String> allowlist(Function<String, String> getenv, Set<String> declared,
                                              java.util.function.Consumer<String> read) {
        Set<String> operator = operatorAllowed(getenv);
        return name -> {
            if (OWN.contains(name) || name.startsWith("RECONCILER_")) {
                throw new IllegalArgumentException("lookup('env', '" + name + "') " + NOT_ALLOWED
                        + ": it is one of the reconciler's own credentials or settings");
            }
            if (!declared.contains(name)) {
                throw new IllegalArgumentException("lookup('env', '" + name + "') " + NOT_ALLOWED + "; declare " + name
                        + " in the environment's envLookups (Ansible form: " + EnvironmentLoader.ENV_LOOKUPS_KEY
                        + ") or the bundle's envLookups; allowed: " + declared);
            }
            if (!name.equals(ALWAYS_ALLOWED) && !operator.contains(name)) {
                throw new IllegalArgumentException("lookup('env', '" + name + "') " + NOT_ALLOWED + " here: the"
                        + " environment declares it, but whoever runs the reconciler must allow it too, in "
                        + OPERATOR_ALLOWED + " (e.g. " + OPERATOR_ALLOWED + "=" + name + "); a repository cannot allow"
                        + " itself to read the process's variables");
            }
            String value = getenv.apply(name);
            Redactor.global().add(value);
            if (value != null) {
                read.accept(value);
            }
            return value;
        };
    }

    /** The names in {@value #OPERATOR_ALLOWED}, separated by commas or white space. */
    static Set<String> operatorAllowed(Function<String, String> getenv) {
        String names = getenv.apply(OPERATOR_ALLOWED);
        if (names == null || names.isBlank()) {
            return Set.of();
        }
        Set<String> allowed = new TreeSet<>(List.of(names.strip().split("[,\\s]+")));
        allowed.remove("");
        return allowed;
    }

    static boolean isLookupError(IllegalArgumentException e) {
        return e.getMessage() != null && (e.getMessage().contains(NOT_ALLOWED) || e.getMessage().contains("Jinja"));
    }

    /** Whether a value is computed by an env lookup (and so secret). */
    static boolean hasLookup(Node node) {
        return node instanceof ScalarNode scalar && Jinja.hasTemplate(scalar.getValue());
    }

    /** Registers a secret value (a string, or the strings in a list or map) with the redactor. */
    static void registerSecret(Object value) {
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(EnvLookups::registerSecret);
        } else if (value instanceof Collection<?> list) {
            list.forEach(EnvLookups::registerSecret);
        } else if (value != null) {
            Redactor.global().add(String.valueOf(value));
        }
    }
}
