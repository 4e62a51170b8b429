package dev.dmreconciler.apply;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns API errors into one line naming the HTTP code and the server's reason. */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static String describe(RuntimeException e) {
        if (e instanceof KubernetesClientException k) {
            if (k.getStatus() != null && k.getStatus().getMessage() != null) {
                return "API error " + k.getCode() + " (" + k.getStatus().getReason() + "): " + k.getStatus().getMessage();
            }
            Throwable cause = k.getCause();
            return "API error " + k.getCode() + ": " + k.getMessage() + (cause == null ? "" : " (" + cause.getMessage() + ")");
        }
        return e.getMessage();
    }
}
