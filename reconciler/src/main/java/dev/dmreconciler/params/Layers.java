package dev.dmreconciler.params;

import dev.dmreconciler.secrets.SecretValues;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Sets variables layer by layer (bundle defaults &lt; shared files &lt; environment values &lt; instance values):
 * each value type-checked against its declaration, map variables deep-merged over the layer below (a key set
 * to null is deleted), unknown variables warned about.
 */
final class Layers {

    private final Collection<Bundle> bundles;
    private final Function<String, String> getenv;
    /** The secret values of the environment these layers read (one Layers per environment read). */
    private final SecretValues.Collector secrets;

    Layers(Collection<Bundle> bundles, Function<String, String> getenv) {
        this(bundles, getenv, new SecretValues.Collector());
    }

    Layers(Collection<Bundle> bundles, Function<String, String> getenv, SecretValues.Collector secrets) {
        this.bundles = bundles;
        this.getenv = getenv;
        this.secrets = secrets;
    }

    static Map<String, Param> defaults(Bundle bundle) {
        Map<String, Param> values = new LinkedHashMap<>();
        bundle.variables().values().stream().filter(v -> v.defaultValue() != null)
                .forEach(v -> values.put(v.name(), v.secret()
                        ? new Param(v.defaultValue().value(), v.defaultValue().where(), true, true) : v.defaultValue()));
        return values;
    }

    /** Sets one variable, type-checked; unknown variables are warnings (Ansible ignores them too). */
    void set(Map<String, Param> values, Bundle bundle, YamlFile yaml, String key, Node node, Problems problems,
             boolean warnForeign) {
        Variable variable = bundle.variables().get(key);
        if (variable == null) {
            if (bundle.ownsKey(key)) {
                problems.warning(yaml.where(node), key, "unknown variable of application " + bundle.name()
                        + ", ignored" + DidYouMean.hint(key, bundle.variables().keySet()));
            } else if (warnForeign) {
                Optional<Bundle> owner = bundles.stream().filter(b -> !b.prefix().isEmpty() && b.ownsKey(key)).findFirst();
                problems.warning(yaml.where(node), key, owner
                        .map(b -> "belongs to application " + b.name() + ", not " + bundle.name() + "; ignored")
                        .orElse("not a variable of application " + bundle.name() + ", ignored"
                                + DidYouMean.hint(key, bundle.variables().keySet())));
            }
            return;
        }
        boolean secret = variable.secret() || yaml.isSecret(node) || EnvLookups.hasLookup(node);
        try {
            Object value = Values.read(node, variable.type(), variable.of(), getenv);
            if (!variable.allowed().isEmpty() && !variable.allowed().contains(String.valueOf(value))) {
                problems.error(yaml.where(node), key, (secret ? "the (secret) value" : "'" + value + "'")
                        + " is not one of " + variable.allowed());
                return;
            }
            if (secret && value != null) {
                EnvLookups.registerSecret(value); // output redaction, process-wide
                secrets.add(value); // this environment's own: what decides whether its objects hold a secret
            }
            Param previous = values.get(key);
            if (variable.type() == VarType.MAP) {
                value = Values.merge(previous == null ? null : previous.value(), value);
            }
            values.put(key, new Param(value, yaml.where(node), false, secret || previous != null && previous.secret()
                    && variable.type() == VarType.MAP));
        } catch (IllegalArgumentException e) {
            problems.error(yaml.where(node), key, secret && !EnvLookups.isLookupError(e)
                    ? "the (secret) value is not valid for type " + variable.type().name().toLowerCase(java.util.Locale.ROOT)
                    : e.getMessage());
            values.put(key, new Param(null, yaml.where(node), false, secret)); // set, but unusable: no second error
        }
    }

    /** Required variables missing or still the sentinel; each problem reported once per location. */
    static void checkRequired(Bundle bundle, Map<String, Param> values, String file, Problems problems) {
        for (Variable variable : bundle.variables().values()) {
            Param param = values.get(variable.name());
            Problem problem = null;
            if (variable.required() && param == null) {
                problem = Problem.error(file, variable.name(), "required variable is not set");
            } else if (variable.required() && bundle.sentinel().equals(String.valueOf(param.value()))) {
                problem = Problem.error(param.isDefault() ? file : param.where(), variable.name(),
                        "required variable is still '" + bundle.sentinel() + "'"
                                + (param.isDefault() ? " (the default); set it" : "; give it a real value"));
            }
            if (problem != null && !problems.all().contains(problem)) {
                problems.add(problem);
            }
        }
    }
}
