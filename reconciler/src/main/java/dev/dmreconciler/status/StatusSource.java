package dev.dmreconciler.status;

import java.util.Map;

/**
 * What the HTTP endpoints report; implemented by the controller. Called on the status server's threads,
 * concurrently with reconciles, so implementations answer from state they already hold and never block on
 * git or the API server.
 */
public interface StatusSource {

    /** {@code /readyz}: true after the first successful git fetch. */
    boolean ready();

    /** {@code /healthz}: false only when the process can no longer do its job (a restart would help). */
    default boolean live() {
        return true;
    }

    /** The {@code /status} document: plain maps, lists, strings, numbers and booleans, serialised as JSON. */
    Map<String, Object> status();
}
