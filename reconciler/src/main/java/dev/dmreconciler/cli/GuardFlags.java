package dev.dmreconciler.cli;

import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.ServiceAccountRef;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The guard-rail flags of apply, diff and run (README "Guard rails"). */
final class GuardFlags {

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Policy file used instead of the repository's policy/<cluster>.yaml (allowed namespaces, kinds, "
                    + "cluster-scoped objects, escalations, prune budget, identity).")
    Path policy;

    @Option(names = "--allow-mass-prune",
            description = "Delete even when a pass exceeds the prune budget (default: more than 10 objects and more "
                    + "than 25 %% of an inventory holds every deletion back).")
    boolean allowMassPrune;

    @Option(names = "--default-service-account", paramLabel = "NAMESPACE/NAME",
            description = "Impersonate this ServiceAccount for environments whose policy names none.")
    String defaultServiceAccount;

    GuardOptions options() {
        ServiceAccountRef account = null;
        if (defaultServiceAccount != null) {
            try {
                account = ServiceAccountRef.parse(defaultServiceAccount);
            } catch (IllegalArgumentException e) {
                throw dev.dmreconciler.params.InvalidInputException.of(null, "--default-service-account", e.getMessage());
            }
        }
        return new GuardOptions(policy, allowMassPrune, account);
    }
}
