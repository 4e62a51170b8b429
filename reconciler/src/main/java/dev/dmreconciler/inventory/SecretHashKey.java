package dev.dmreconciler.inventory;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The per-cluster key of the keyed hash (HMAC-SHA256) the reconciler records for Secrets, in the live
 * object's {@code dm-reconciler.dev/hash} annotation and in the inventory. A plain digest of a Secret's body
 * is a password oracle for anyone who can read ConfigMaps or the Secret's metadata (a short word list
 * recovers a weak password); with a key only the reconciler can compute it.
 *
 * <p>Kept in the Secret {@value #NAME} of the inventory namespace, created with 32 random bytes on the first
 * apply that stamps a Secret. A read-only pass (diff) never creates it: without it, it uses a random key of
 * its own, so every Secret shows as changed until an apply has created the key (which is what that apply
 * does: it re-stamps every Secret once).
 */
final class SecretHashKey {

    static final String NAME = "dm-reconciler-hash-key";
    static final String DATA_KEY = "key";

    private final KubernetesClient client;
    private final String namespace;
    private final boolean mayCreate;
    private byte[] key;
    /** What {@link #existing} read (null: no Secret), so neither it nor {@link #key} reads twice. */
    private byte[] peekedKey;
    private boolean peeked;

    SecretHashKey(KubernetesClient client, String namespace, boolean mayCreate) {
        this.client = client;
        this.namespace = namespace;
        this.mayCreate = mayCreate;
    }

    synchronized byte[] key(Runnable ensureNamespace) {
        if (key != null) {
            return key;
        }
        key = peeked ? peekedKey : read();
        peeked = true;
        peekedKey = key;
        if (key == null && mayCreate) {
            ensureNamespace.run();
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(NAME)
                        .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "dm-reconciler").endMetadata()
                        .withType("Opaque").addToData(DATA_KEY, Base64.getEncoder().encodeToString(fresh)).build()).create();
                key = fresh;
                peekedKey = fresh;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new InventoryException("cannot create the Secret hash key " + namespace + "/" + NAME + ": "
                            + e.getMessage(), e);
                }
                key = read(); // another process created it first: use theirs
                peekedKey = key;
            }
        }
        if (key == null) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        }
        return key;
    }

    /** The key if the Secret exists (read once, or the one {@link #key} created), else null; never creates it. */
    synchronized byte[] existing() {
        if (!peeked) {
            peekedKey = read();
            peeked = true;
        }
        return peekedKey;
    }

    private byte[] read() {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(NAME).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 && !mayCreate) {
                return null; // a read-only diff without access: Secrets show as changed, nothing else is affected
            }
            throw new InventoryException("cannot read the Secret hash key " + namespace + "/" + NAME
                    + " (the reconciler needs get and create on secrets in " + namespace + "): " + e.getMessage(), e);
        }
        if (secret == null || secret.getData() == null || secret.getData().get(DATA_KEY) == null) {
            return null;
        }
        return Base64.getDecoder().decode(secret.getData().get(DATA_KEY));
    }
}
