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
 * {@code lookup('env', NAME)} reads only names an environment or bundle declares, plus KUBECONFIG (the seed files use
 * it): otherwise a pull request could render any variable of the reconciler's process (a CI kubeconfig, a token) into
 * an object and so into its diff. Declared in the native form's {@code envLookups: [NAME]}, an Ansible-form file's
 * {@code reconciler_env_lookups: [NAME]}, or bundle.yaml's {@code envLookups}. Looked-up values are secret.
 */
final class EnvLookups {

    static final String ALWAYS_ALLOWED = "KUBECONFIG";
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

    /** getenv restricted to the allowed names; every value read is registered as a secret. */
    static Function<String, String> allowlist(Function<String, String> getenv, Set<String> allowed) {
        return name -> {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("lookup('env', '" + name + "') " + NOT_ALLOWED + "; declare " + name
                        + " in the environment's envLookups (Ansible form: " + EnvironmentLoader.ENV_LOOKUPS_KEY
                        + ") or the bundle's envLookups; allowed: " + allowed);
            }
            String value = getenv.apply(name);
            Redactor.global().add(value);
            return value;
        };
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
