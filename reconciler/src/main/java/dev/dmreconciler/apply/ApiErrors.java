package dev.dmreconciler.apply;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns API errors into one line: the HTTP code, the server's reason and the useful sentence. The API server
 * repeats the object's kind and name (already on the report line), dumps Go structs into "Invalid value"
 * ({@code core.PodTemplateSpec{ObjectMeta:…}}, thousands of characters for a Job's template) and prefixes
 * field-manager errors with its internal step ("failed to create typed patch object (/v1, Kind=Service) ns/x:");
 * those parts are cut. With {@code RECONCILER_DEBUG=1} the server's full message is kept.
 */
public final class ApiErrors {

    static final int MAX_VALUE_CHARS = 40;
    static final int MAX_MESSAGE_CHARS = 400;

    /** "failed to create typed patch object (/v1, Kind=Service) ns/name: " and the like. */
    private static final Pattern TYPED_PREFIX = Pattern.compile("^failed to create typed (?:patch|live) object(?: \\([^)]*\\))?(?: [^ :]+)?: ");
    /** "Kind.group \"name\" is invalid: " — the object is named on the report line already. */
    private static final Pattern INVALID_PREFIX = Pattern.compile("^[A-Za-z0-9.]+ \"[^\"]*\" is invalid: ");
    private static final Pattern INVALID_VALUE = Pattern.compile("Invalid value: ");

    private ApiErrors() {
    }

    public static String describe(RuntimeException e) {
        return describe(e, "1".equals(System.getenv("RECONCILER_DEBUG")));
    }

    static String describe(RuntimeException e, boolean debug) {
        if (e instanceof KubernetesClientException k) {
            Status status = k.getStatus();
            if (status != null && status.getMessage() != null) {
                String reason = status.getReason() == null || status.getReason().isBlank() ? "" : " (" + status.getReason() + ")";
                return "API error " + k.getCode() + reason + ": " + (debug ? status.getMessage() : useful(status));
            }
            Throwable cause = k.getCause();
            String because = cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
            String message = k.getCode() <= 0 ? "no answer from the API server: " + k.getMessage() + because
                    : "API error " + k.getCode() + ": " + k.getMessage() + because;
            return debug ? message : cap(message);
        }
        return e.getMessage();
    }

    /** The useful part of the server's message: the field and what is wrong with it. */
    static String useful(Status status) {
        String message = status.getMessage().strip();
        List<StatusCause> causes = status.getDetails() == null || status.getDetails().getCauses() == null
                ? List.of() : status.getDetails().getCauses();
        if (INVALID_PREFIX.matcher(message).find() && !causes.isEmpty()) {
            Set<String> parts = new LinkedHashSet<>();
            for (StatusCause cause : causes) {
                String text = withoutLongValue(cause.getMessage() == null ? "" : cause.getMessage());
                parts.add(cause.getField() == null || cause.getField().isBlank() ? text : cause.getField() + ": " + text);
            }
            return cap(String.join("; ", parts));
        }
        message = INVALID_PREFIX.matcher(message).replaceFirst("");
        message = TYPED_PREFIX.matcher(message).replaceFirst("");
        message = message.replace(" (and doesn't have default value)", "");
        return cap(withoutLongValue(message));
    }

    /**
     * "Invalid value: core.PodTemplateSpec{…}: field is immutable" → "field is immutable"; a short value stays:
     * "Invalid value: 0: must be between 1 and 65535".
     */
    static String withoutLongValue(String message) {
        Matcher m = INVALID_VALUE.matcher(message);
        List<String> kept = new ArrayList<>();
        int from = 0;
        while (m.find(from)) {
            int valueStart = m.end();
            int valueEnd = endOfValue(message, valueStart);
            if (valueEnd < 0) {
                break;
            }
            if (valueEnd - valueStart > MAX_VALUE_CHARS) {
                kept.add(message.substring(from, m.start()));
                from = valueEnd + 2; // past ": "
            } else {
                kept.add(message.substring(from, valueEnd + 2));
                from = valueEnd + 2;
            }
        }
        kept.add(message.substring(Math.min(from, message.length())));
        return String.join("", kept).strip();
    }

    /** Where a Go-printed value ends: the first ": " outside brackets and quotes, or -1. */
    private static int endOfValue(String message, int start) {
        int depth = 0;
        boolean quoted = false;
        for (int i = start; i < message.length() - 1; i++) {
            char c = message.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
            } else if (depth <= 0 && c == ':' && message.charAt(i + 1) == ' ') {
                return i;
            }
        }
        return -1;
    }

    private static String cap(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + "… (RECONCILER_DEBUG=1 shows all)";
    }

    /** The fields a 422 names as immutable ("spec.template", "spec.clusterIP"); empty for any other error. */
    public static List<String> immutableFields(KubernetesClientException e) {
        if (e.getCode() != 422 || e.getStatus() == null) {
            return List.of();
        }
        Set<String> fields = new LinkedHashSet<>();
        if (e.getStatus().getDetails() != null && e.getStatus().getDetails().getCauses() != null) {
            for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
                if (cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains("immutable")) {
                    fields.add(cause.getField() == null ? "?" : cause.getField());
                }
            }
        }
        if (fields.isEmpty() && e.getStatus().getMessage() != null
                && e.getStatus().getMessage().toLowerCase(Locale.ROOT).contains("immutable")) {
            fields.add("(see: " + e.getStatus().getMessage() + ")");
        }
        return List.copyOf(fields);
    }
}
