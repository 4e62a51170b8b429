package dev.dmreconciler.inventory;

import dev.dmreconciler.resource.Digests;
import java.util.Locale;

/**
 * Names of an inventory's ConfigMaps and of an environment's apply Lease. Environment and application names
 * are sanitised into Kubernetes names for people to read, and a short hash of the <em>exact</em> names makes
 * the identity unique: {@code team_a} and {@code team-a} read alike but get different inventories. The exact
 * names are kept in annotations; the hashes in labels, so one label selector finds them.
 */
public final class InventoryName {

    private static final int PART_CHARS = 80;

    private InventoryName() {
    }

    /** 10 hex characters (40 bits) of the SHA-256 of the exact environment name. */
    public static String environmentId(String environment) {
        return Digests.sha256("environment\n" + environment, 10);
    }

    /** 10 hex characters of the SHA-256 of the exact (environment, application) pair. */
    public static String inventoryId(String environment, String application) {
        return Digests.sha256("inventory\n" + environment + "\n" + application, 10);
    }

    /** {@code inventory.<env>.<app>.<id>.<shard>}, a valid ConfigMap name (DNS subdomain, at most 253 chars). */
    public static String shard(String environment, String application, int shard) {
        return "inventory." + safe(environment) + "." + safe(application) + "." + inventoryId(environment, application)
                + "." + shard;
    }

    /** The Lease that serialises passes of one environment: {@code dm-reconciler-apply.<env>.<id>}. */
    public static String lease(String environment) {
        return "dm-reconciler-apply." + safe(environment) + "." + environmentId(environment);
    }

    /** Lower case, [a-z0-9-] only, no leading or trailing '-', at most 80 characters; never empty. */
    static String safe(String name) {
        String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (safe.length() > PART_CHARS) {
            safe = safe.substring(0, PART_CHARS).replaceAll("-+$", "");
        }
        return safe.isEmpty() ? "x" : safe;
    }
}
