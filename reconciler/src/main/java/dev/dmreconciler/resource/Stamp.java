package dev.dmreconciler.resource;

import dev.dmreconciler.secrets.SecretValues;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Marks what the reconciler applies, so people and the reconciler itself can tell its objects apart.
 *
 * <ul>
 *   <li>label {@code app.kubernetes.io/managed-by: dm-reconciler} and {@code dm-reconciler.dev/application};</li>
 *   <li>annotation {@code dm-reconciler.dev/environment} on per-namespace objects, and
 *       {@code dm-reconciler.dev/cluster} on operator-scope objects. Operator-scope objects (the CRD, cluster
 *       RBAC, the operator) are shared by every environment on a cluster; naming one environment there would
 *       make environments overwrite each other's annotation on every pass;</li>
 *   <li>annotation {@code dm-reconciler.dev/hash}: a digest of everything else desired, so an unchanged object
 *       is recognised without a write. For a Secret, and for any object holding one of its environment's own
 *       secret values ({@link SecretValues}: a vault value a template put into a ConfigMap or an env var), it is a
 *       keyed hash (HMAC-SHA256 with a per-cluster key the inventory keeps): a plain digest of such a body,
 *       readable by anyone who may read its metadata or the inventory, would let a word list recover a weak
 *       password. Only the environment's own values decide, never the process-wide redactor's: in {@code run} that
 *       holds every environment's, and the decision would be an oracle across tenants and flip between
 *       {@code apply --env} and {@code run} (review S11B-F1). An environment without secrets pays nothing;</li>
 *   <li>annotation {@code dm-reconciler.dev/adopted: "true"} on an object that existed before and was adopted
 *       on request; it is carried on every later apply and is not part of the hash. An adopted Namespace is
 *       never deleted.</li>
 * </ul>
 * A desired object may ask for adoption with {@code dm-reconciler.dev/adopt: "true"} and for lifecycle
 * policies with {@code dm-reconciler.dev/lifecycle} (see {@code plan.Lifecycle}).
 */
public final class Stamp {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "dm-reconciler";
    public static final String APPLICATION = "dm-reconciler.dev/application";
    public static final String ENVIRONMENT = "dm-reconciler.dev/environment";
    public static final String CLUSTER = "dm-reconciler.dev/cluster";
    public static final String HASH = "dm-reconciler.dev/hash";
    public static final String ADOPT = "dm-reconciler.dev/adopt";
    public static final String ADOPTED = "dm-reconciler.dev/adopted";
    public static final String LIFECYCLE = "dm-reconciler.dev/lifecycle";

    private Stamp() {
    }

    /** A random key for this process, for Secrets stamped without the cluster's key (never an unsalted digest). */
    private static final byte[] PROCESS_KEY = randomKey();

    /** A stamped deep copy of a rendered object's body; a Secret's hash is keyed with a key of this process. */
    public static Map<String, Object> stamp(RenderedObject object, String environment, String cluster) {
        return stamp(object, environment, cluster, () -> PROCESS_KEY);
    }

    /**
     * A stamped deep copy of a rendered object's body, for an environment without secrets.
     *
     * @param secretKey the cluster's key for the keyed hash of Secrets; asked only when the object is a Secret
     */
    public static Map<String, Object> stamp(RenderedObject object, String environment, String cluster,
                                            Supplier<byte[]> secretKey) {
        return stamped(object, environment, cluster, secretKey, SecretValues.NONE).body();
    }

    /**
     * A stamped body and where in it its environment's secret values are ({@link SecretPaths}: JSON pointers, for
     * the inventory; empty for almost every object).
     */
    public record Stamped(Map<String, Object> body, List<String> secretPaths) {
    }

    /**
     * A stamped deep copy of a rendered object's body, and the places in it that hold one of {@code secrets}.
     *
     * @param secretKey the cluster's key for the keyed hash; asked only when the object is a Secret or holds a secret
     * @param secrets   the secret values of the object's own environment (never the process's, see the class)
     */
    @SuppressWarnings("unchecked")
    public static Stamped stamped(RenderedObject object, String environment, String cluster, Supplier<byte[]> secretKey,
                                  SecretValues secrets) {
        Map<String, Object> body = deepCopy(object.body());
        Map<String, Object> metadata = (Map<String, Object>) body.get("metadata");
        Map<String, Object> labels = child(metadata, "labels");
        labels.put(MANAGED_BY, MANAGER);
        labels.put(APPLICATION, object.application());
        Map<String, Object> annotations = child(metadata, "annotations");
        if (object.dmNamespace() != null) {
            annotations.put(ENVIRONMENT, environment);
        } else {
            annotations.put(CLUSTER, cluster);
        }
        String text = canonical(body); // once: the quick secret test and the hash read the same text
        List<String> secretPaths = secrets.isEmpty() || !secrets.mayBeIn(text) ? List.of() : SecretPaths.of(body, secrets);
        annotations.put(HASH, isSecret(body) || !secretPaths.isEmpty() ? keyedHash(text, secretKey.get())
                : Digests.sha256(text, 32));
        return new Stamped(body, secretPaths);
    }

    /**
     * Takes the live object's keyed hash as this stamp when it is the cluster key's HMAC of exactly this desired text:
     * for an operator-scope object several environments share, which one of them stamps keyed (the object holds a
     * value that environment reads as a secret) and this one plain (it has the same value in plain text). Without
     * this the two rewrote it in turn; with it the object settles keyed, and neither environment needs to know the
     * other's values. Only the plain side gives way: the keyed side accepting a plain digest would also accept the
     * unkeyed hash an older release left, and upgrading would never re-key it. Asks for the key only when the
     * hashes differ; no key (none was ever made) takes nothing.
     *
     * @param existingKey the cluster's key if it exists (never made for this), or null
     * @return whether the stamp now carries the live hash
     */
    @SuppressWarnings("unchecked")
    public static boolean takeKeyedStamp(Map<String, Object> stamped, String liveHash, Supplier<byte[]> existingKey) {
        String hash = hashOf(stamped);
        if (liveHash == null || liveHash.equals(hash) || annotation(stamped, CLUSTER) == null || isSecret(stamped)) {
            return false;
        }
        String text = canonical(stamped);
        if (!Digests.sha256(text, 32).equals(hash)) {
            return false; // keyed already: this environment holds one of its secrets in it
        }
        byte[] key = existingKey.get();
        if (key == null || !keyedHash(text, key).equals(liveHash)) {
            return false;
        }
        ((Map<String, Object>) ((Map<String, Object>) stamped.get("metadata")).get("annotations")).put(HASH, liveHash);
        return true;
    }

    /** The hash annotation of a live or stamped object, or null. */
    public static String hashOf(Map<String, Object> body) {
        return annotation(body, HASH);
    }

    /** An annotation of an object given as maps, or null. */
    @SuppressWarnings("unchecked")
    public static String annotation(Map<String, Object> body, String name) {
        Object metadata = body == null ? null : body.get("metadata");
        if (!(metadata instanceof Map<?, ?> m) || !(m.get("annotations") instanceof Map<?, ?> annotations)) {
            return null;
        }
        Object value = ((Map<String, Object>) annotations).get(name);
        return value == null ? null : value.toString();
    }

    /** Whether labels carry the reconciler's managed-by mark. */
    public static boolean managedByUs(Map<String, String> labels) {
        return labels != null && MANAGER.equals(labels.get(MANAGED_BY));
    }

    /** Marks a stamped body as adopted (after hashing: the mark is not part of the hash). */
    @SuppressWarnings("unchecked")
    public static void markAdopted(Map<String, Object> stamped) {
        child((Map<String, Object>) stamped.get("metadata"), "annotations").put(ADOPTED, "true");
    }

    /** sha-256 over a canonical (key-sorted) rendering of the object, the hash annotation itself excluded. */
    public static String hash(Map<String, Object> body) {
        return Digests.sha256(canonical(body), 32);
    }

    /** HMAC-SHA256 over the same canonical rendering, 32 hex characters. */
    public static String keyedHash(Map<String, Object> body, byte[] key) {
        return keyedHash(canonical(body), key);
    }

    private static String keyedHash(String canonicalText, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonicalText.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no HmacSHA256", e);
        }
    }

    /** A core-group Secret. */
    public static boolean isSecret(Map<String, Object> body) {
        return "Secret".equals(body.get("kind")) && "v1".equals(body.get("apiVersion"));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * The key-sorted rendering the hash is taken over (the hash and adopted annotations left out). Written into one
     * builder: a string per nested map and list, copied into its parent's, made each object's text several times
     * over (stamping was a third of a no-op plan's CPU). The text is the one recorded in every live object's hash
     * annotation, so it must not change ({@code StampTest}).
     */
    static String canonical(Object value) {
        StringBuilder out = new StringBuilder(1024);
        canonical(value, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void canonical(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            Map<String, Object> fields = (Map<String, Object>) map;
            for (Map.Entry<String, Object> field : (map instanceof TreeMap<?, ?> sorted && sorted.comparator() == null
                    ? fields : new TreeMap<>(fields)).entrySet()) {
                String key = field.getKey();
                if (!key.equals(HASH) && !key.equals(ADOPTED)) {
                    quote(key, out);
                    out.append(':');
                    canonical(field.getValue(), out);
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            out.append('[');
            for (Object item : list) {
                canonical(item, out);
                out.append(',');
            }
            out.append(']');
        } else if (value instanceof String text) {
            quote(text, out);
        } else {
            out.append(value);
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        Object existing = parent.get(key);
        if (existing instanceof Map<?, ?>) {
            return (Map<String, Object>) existing;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }

    @SuppressWarnings("unchecked")
    public static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof java.util.List<?> list) {
            return (T) list.stream().map(Stamp::deepCopy).collect(java.util.stream.Collectors.toList());
        }
        return value;
    }
}
