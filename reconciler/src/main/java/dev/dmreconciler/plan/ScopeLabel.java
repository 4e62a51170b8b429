package dev.dmreconciler.plan;

import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.Bundle;
import dev.dmreconciler.params.Environment;
import java.util.Set;
import java.util.TreeSet;

/**
 * How reports name an environment's environment scope ({@link Plan#OPERATOR_SCOPE} inside): each bundle says it
 * with {@code environmentScopeName} ("operator" for the Data Manager operators); bundles that do not say use
 * "environment". Machine-readable output (JSON, /status keys, metrics) keeps the stable key "operator".
 */
public final class ScopeLabel {

    public static final String DEFAULT = "environment";

    private ScopeLabel() {
    }

    /** The bundles' own word when they agree ("operator"), both joined by "/" when they differ, else "environment". */
    public static String of(Environment environment) {
        if (environment == null) {
            return Plan.OPERATOR_SCOPE;
        }
        return of(environment.apps().stream().map(AppInstance::bundle).toList());
    }

    /** The label for an environment of these bundles. */
    public static String of(java.util.Collection<Bundle> bundles) {
        Set<String> names = new TreeSet<>();
        for (Bundle bundle : bundles) {
            String name = bundle.environmentScopeName();
            if (name != null && !name.isBlank() && !name.equals(DEFAULT)) {
                names.add(name);
            }
        }
        return names.isEmpty() ? DEFAULT : String.join("/", names);
    }

    /** The scope as a report names it: the label for the environment scope, a namespace by its name. */
    public static String display(String scope, String environmentScope) {
        return Plan.OPERATOR_SCOPE.equals(scope) ? environmentScope : scope;
    }
}
