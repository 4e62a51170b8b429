package dev.dmreconciler.kube;

/** The API server could not be reached at all (refused, timed out, unknown host, TLS): names the URL and the cause. */
public final class ApiServerUnreachableException extends RuntimeException {

    public ApiServerUnreachableException(String url, Throwable cause) {
        super("cannot reach the API server " + (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + ": "
                + rootMessage(cause), cause);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip();
    }
}
