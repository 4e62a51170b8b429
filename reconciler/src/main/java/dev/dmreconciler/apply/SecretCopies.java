package dev.dmreconciler.apply;

import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.SecretCopyResolver;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import dev.dmreconciler.secrets.Redactor;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fills the environment's Secret copies ({@link SecretCopyResolver}) from their sources, before anything is planned:
 * each distinct source is read once per pass (one GET, with the environment's identity, so an environment copies only
 * what it may read) — or taken from the environment's own desired state when the environment renders or lists that
 * Secret itself (a sops manifest spread into several namespaces). Only the source's {@code type} and {@code data}
 * are copied, never its labels, annotations, owner references or managed fields. Every copied value is registered
 * with the {@link Redactor}, so no output can print it.
 *
 * <p>A Secret the environment does not make itself is copied only where its owner allows it: the annotation
 * {@value #COPY_TO} on the source lists the namespaces (comma-separated, {@code *} and {@code ?} globs). Otherwise
 * whoever can merge an environment could copy any Secret the reconciler can read (a service account token of
 * kube-system) into a namespace they can read; the decision stays with the Secret's owner, outside the environment
 * file it limits (as kubernetes-reflector's {@code reflection-allowed-namespaces}).
 *
 * <p>A source that is missing or cannot be read fails the whole environment before any write ({@link CopyFailed}):
 * a copy applied empty, or a pass that prunes around a missing credential, would break the workloads that need it.
 */
public final class SecretCopies {

    /** Annotation on a source Secret: the namespaces it may be copied into (comma-separated globs, {@code *} = any). */
    public static final String COPY_TO = "dm-reconciler.dev/copy-to";

    private SecretCopies() {
    }

    /** A source could not be read: nothing of the environment may be applied. */
    public static final class CopyFailed extends SecretsUnavailable {
        public CopyFailed(String message) {
            super(message);
        }
    }

    /**
     * The source's type and data (base64 values), or why it cannot be copied.
     *
     * @param allowedTo its {@value #COPY_TO} globs, or null for a Secret of the environment's own desired state
     */
    record Source(String type, Map<String, String> data, List<String> allowedTo, String problem) {
        static Source missing(String problem) {
            return new Source(null, null, List.of(), problem);
        }
    }

    /** Why the source may not be copied into {@code namespace}, or null when it may. */
    static String refusal(String from, List<String> allowedTo, String namespace) {
        if (allowedTo == null || allowedTo.stream().anyMatch(glob -> glob(glob, namespace))) {
            return null;
        }
        return allowedTo.isEmpty()
                ? "source Secret " + from + " does not allow copies (its owner lists the namespaces in its annotation "
                        + COPY_TO + ", comma-separated, * for any)"
                : "source Secret " + from + " allows copies only to " + String.join(", ", allowedTo) + " (" + COPY_TO + ")";
    }

    private static boolean glob(String glob, String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return text.matches(regex.toString());
    }

    /** The globs of a {@value #COPY_TO} annotation ({@code "a, team-*"}); none without it. */
    static List<String> allowedTo(Map<String, String> annotations) {
        String value = annotations == null ? null : annotations.get(COPY_TO);
        if (value == null) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
    }

    /** Whether a desired object is a copy placeholder. */
    public static boolean isCopy(RenderedObject object) {
        return Stamp.isSecret(object.body()) && Stamp.annotation(object.body(), SecretCopyResolver.COPY_OF) != null;
    }

    /**
     * The desired state with every copy filled in.
     *
     * @throws CopyFailed naming every source that is missing or unreadable, and the copies that need it
     */
    public static DesiredState fill(KubernetesClient client, DesiredState desired) {
        if (desired.objects().stream().noneMatch(SecretCopies::isCopy)) {
            return desired;
        }
        Map<ObjectKey, RenderedObject> byKey = new HashMap<>();
        desired.objects().forEach(o -> byKey.put(o.key(), o));
        Map<String, Source> sources = new HashMap<>();
        Map<String, List<String>> failed = new TreeMap<>();
        List<RenderedObject> objects = new ArrayList<>();
        for (RenderedObject object : desired.objects()) {
            if (!isCopy(object)) {
                objects.add(object);
                continue;
            }
            String from = Stamp.annotation(object.body(), SecretCopyResolver.COPY_OF);
            Source source = sources.computeIfAbsent(from, f -> source(client, f, byKey));
            String problem = source.problem() != null ? source.problem()
                    : refusal(from, source.allowedTo(), object.key().namespace());
            if (problem != null) {
                failed.computeIfAbsent(problem, p -> new ArrayList<>()).add(object.key().namespace() + "/"
                        + object.key().name() + " (application " + object.application() + ", " + object.template() + ")");
            } else {
                objects.add(new RenderedObject(object.key(), filled(object.body(), source), object.application(),
                        object.template(), object.dmNamespace()));
            }
        }
        if (!failed.isEmpty()) {
            List<String> parts = new ArrayList<>();
            failed.forEach((problem, copies) -> parts.add(problem + ", needed by the cop" + (copies.size() == 1 ? "y " : "ies ")
                    + String.join(", ", copies)));
            throw new CopyFailed("secret copy: " + String.join("; ", parts) + "; environment "
                    + desired.environment().name() + " stops before any write");
        }
        return new DesiredState(desired.environment(), List.copyOf(objects), desired.absentApplications(),
                desired.preconditions());
    }

    private static Source source(KubernetesClient client, String from, Map<ObjectKey, RenderedObject> desired) {
        int slash = from.indexOf('/');
        String namespace = from.substring(0, slash);
        String name = from.substring(slash + 1);
        RenderedObject own = desired.get(new ObjectKey("", "Secret", namespace, name));
        if (own != null) {
            return isCopy(own) ? Source.missing("source Secret " + from + " is itself a copy (copy from its source instead)")
                    : fromDesired(own.body());
        }
        try {
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                return Source.missing("source Secret " + from + " does not exist");
            }
            Map<String, String> data = secret.getData() == null ? new TreeMap<>() : new TreeMap<>(secret.getData());
            if (secret.getStringData() != null) {
                secret.getStringData().forEach((k, v) -> data.put(k, base64(v)));
            }
            return new Source(secret.getType(), data, allowedTo(secret.getMetadata().getAnnotations()), null);
        } catch (KubernetesClientException e) {
            return Source.missing("source Secret " + from + " cannot be read: " + ApiErrors.describe(e));
        }
    }

    /** A Secret of the environment's own desired state as the API server will store it: stringData folded into data. */
    @SuppressWarnings("unchecked")
    static Source fromDesired(Map<String, Object> body) {
        Map<String, String> data = new TreeMap<>();
        if (body.get("data") instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> data.put(k, v == null ? "" : String.valueOf(v)));
        }
        if (body.get("stringData") instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> data.put(k, base64(v == null ? "" : String.valueOf(v))));
        }
        Object type = body.get("type");
        return new Source(type == null ? null : String.valueOf(type), data, null, null);
    }

    /** The placeholder with the source's type (default Opaque) and data; every value registered as secret. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> filled(Map<String, Object> placeholder, Source source) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "Secret");
        body.put("metadata", Stamp.deepCopy((Map<String, Object>) placeholder.get("metadata")));
        body.put("type", source.type() == null || source.type().isEmpty() ? "Opaque" : source.type());
        body.put("data", new LinkedHashMap<>(source.data()));
        source.data().values().forEach(SecretCopies::register);
        return body;
    }

    private static void register(String base64) {
        Redactor.global().add(base64);
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            Redactor.global().add(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            // binary data: its base64 is registered, which is what any output would show
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
