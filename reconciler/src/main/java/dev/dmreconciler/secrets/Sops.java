package dev.dmreconciler.secrets;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * SOPS files (YAML or JSON, one or more documents) encrypted for age recipients, decrypted and written without the
 * sops binary. The data key is age-decrypted from {@code sops.age[].enc}; every value the file's rules say is
 * encrypted is opened with AES-256-GCM and its key path ({@code a:b:}) as additional data; then the MAC — SHA-512
 * over every value in document order, encrypted with the data key and {@code sops.lastmodified} as additional data —
 * is recomputed and compared, so a changed, added, removed or reordered value is refused. Works on snakeyaml node
 * trees in place, so decrypted values keep their line numbers.
 */
public final class Sops {

    public static final String METADATA_KEY = "sops";
    private static final String WRITER_VERSION = "3.9.0";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Sops() {
    }

    /** Decrypted documents (the {@code sops} key removed) and the nodes that were encrypted (all secret). */
    public record Decrypted(List<Node> documents, Set<Node> secretNodes) {
    }

    /** Whether a document carries sops metadata (a top-level {@code sops} mapping with a {@code mac}). */
    public static boolean isEncrypted(Node document) {
        return metadata(document) != null;
    }

    /** Decrypts documents composed by snakeyaml; every decrypted value is registered with the {@link Redactor}. */
    public static Decrypted decrypt(List<Node> documents, SecretKeys keys, String file) {
        Map<String, Node> meta = null;
        for (Node document : documents) {
            meta = meta != null ? meta : metadata(document);
        }
        if (meta == null) {
            throw new SecretException(file, "no sops metadata (top-level 'sops:' with a 'mac')");
        }
        for (String unsupported : List.of("key_groups", "shamir_threshold", "encrypted_comment_regex", "unencrypted_comment_regex")) {
            if (meta.containsKey(unsupported) && !isEmptyNode(meta.get(unsupported))) {
                throw new SecretException(file, "sops option '" + unsupported + "' is not supported (age recipients without key groups are)");
            }
        }
        byte[] dataKey = dataKey(meta, keys.ageIdentities(file), file);
        SopsRules rules = SopsRules.of(text(meta, "unencrypted_suffix"), text(meta, "encrypted_suffix"),
                text(meta, "unencrypted_regex"), text(meta, "encrypted_regex"));
        boolean macOnlyEncrypted = "true".equalsIgnoreCase(text(meta, "mac_only_encrypted"));
        MessageDigest mac = sha512();
        if (macOnlyEncrypted) {
            mac.update(HexFormat.of().parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69"));
        }
        Set<Node> secretNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> out = new ArrayList<>();
        for (Node document : documents) {
            removeMetadata(document);
            out.add(walk(document, new ArrayList<>(), (leaf, path) -> {
                boolean encrypted = rules.encrypted(path);
                String aad = String.join(":", path) + ":";
                if (!encrypted) {
                    SopsValue value = SopsValue.of(leaf);
                    if (value != null && !macOnlyEncrypted) {
                        mac.update(value.macBytes());
                    }
                    return leaf;
                }
                if (YamlNodes.isNull(leaf)) {
                    return leaf;
                }
                SopsValue value = open(leaf.getValue(), dataKey, aad, file, "value at " + aad);
                mac.update(value.macBytes());
                ScalarNode plain = new ScalarNode(tagOf(value.type()), value.yamlText(), leaf.getStartMark(), leaf.getEndMark(),
                        DumperOptions.ScalarStyle.PLAIN);
                secretNodes.add(plain);
                Redactor.global().add(value.yamlText());
                return plain;
            }));
        }
        String lastModified = text(meta, "lastmodified");
        String storedMac = text(meta, "mac");
        if (lastModified == null || storedMac == null) {
            throw new SecretException(file, "sops metadata lacks 'lastmodified' or 'mac'");
        }
        SopsValue expected = open(storedMac, dataKey, lastModified, file, "the MAC");
        byte[] actual = HEX.formatHex(mac.digest()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(actual, expected.plaintext())) {
            throw new SecretException(file, "sops MAC mismatch: the file was changed after it was encrypted");
        }
        return new Decrypted(out, secretNodes);
    }

    /**
     * A YAML or JSON text decrypted (as YAML, every document, the {@code sops} metadata removed); a text without sops
     * metadata is returned as it is.
     */
    public static String decryptText(String text, SecretKeys keys, String file) {
        return decryptText(text, keys, file, value -> { });
    }

    /** @param read told each decrypted value (the secret values of the environment the file belongs to) */
    public static String decryptText(String text, SecretKeys keys, String file, java.util.function.Consumer<String> read) {
        List<Node> documents = new ArrayList<>();
        try {
            yaml().composeAll(new StringReader(text)).forEach(documents::add);
        } catch (RuntimeException e) {
            return text; // not YAML: the caller's own reader reports it with its line
        }
        if (documents.stream().noneMatch(Sops::isEncrypted)) {
            return text;
        }
        StringWriter out = new StringWriter();
        Decrypted opened = decrypt(documents, keys, file);
        opened.secretNodes().forEach(node -> {
            if (node instanceof ScalarNode scalar) {
                read.accept(scalar.getValue());
            }
        });
        List<Node> decrypted = opened.documents();
        for (int i = 0; i < decrypted.size(); i++) {
            if (i > 0) {
                out.write("---\n");
            }
            yaml().serialize(decrypted.get(i), out);
        }
        return out.toString();
    }

    /**
     * Encrypts every document of a YAML text for age recipients, as {@code sops --encrypt --age R} does
     * (default rule: every value except keys ending in {@code _unencrypted}; or only keys matching
     * {@code encryptedRegex}, e.g. {@code ^(data|stringData)$} for Kubernetes Secrets).
     */
    public static String encrypt(String yamlText, List<String> recipients, String encryptedRegex, String file) {
        List<Node> documents = new ArrayList<>();
        for (Node node : yaml().composeAll(new StringReader(yamlText))) {
            if (!(node instanceof MappingNode)) {
                throw new SecretException(file, "sops encrypts mappings (key: value) only");
            }
            if (isEncrypted(node)) {
                throw new SecretException(file, "already encrypted with sops");
            }
            documents.add(node);
        }
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        SopsRules rules = SopsRules.of(null, null, null, encryptedRegex);
        MessageDigest mac = sha512();
        List<Node> encrypted = new ArrayList<>();
        for (Node document : documents) {
            encrypted.add(walk(document, new ArrayList<>(), (leaf, path) -> {
                SopsValue value = SopsValue.of(leaf);
                if (value == null) {
                    return leaf;
                }
                mac.update(value.macBytes());
                if (!rules.encrypted(path)) {
                    return leaf;
                }
                SopsValue typed = new SopsValue(value.type(), value.macBytes());
                String enc = typed.plaintext().length == 0 ? "" : SopsValue.encrypt(typed, dataKey, String.join(":", path) + ":");
                return new ScalarNode(Tag.STR, enc, leaf.getStartMark(), leaf.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
            }));
        }
        String lastModified = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String macValue = SopsValue.encrypt(SopsValue.str(HEX.formatHex(mac.digest())), dataKey, lastModified);
        String armored = Age.encrypt(dataKey, recipients);
        StringWriter out = new StringWriter();
        for (int i = 0; i < encrypted.size(); i++) {
            MappingNode document = (MappingNode) encrypted.get(i);
            document.getValue().add(new NodeTuple(YamlNodes.str(METADATA_KEY),
                    metadataNode(recipients, armored, lastModified, macValue, encryptedRegex)));
            if (i > 0) {
                out.write("---\n");
            }
            yaml().serialize(document, out);
        }
        return out.toString();
    }

    private static MappingNode metadataNode(List<String> recipients, String armored, String lastModified, String mac,
                                            String encryptedRegex) {
        List<NodeTuple> meta = new ArrayList<>();
        for (String empty : List.of("kms", "gcp_kms", "azure_kv", "hc_vault")) {
            meta.add(new NodeTuple(YamlNodes.str(empty), YamlNodes.emptyList()));
        }
        List<Node> ages = new ArrayList<>();
        for (String recipient : recipients) {
            ages.add(YamlNodes.mapping(List.of(new NodeTuple(YamlNodes.str("recipient"), YamlNodes.str(recipient)),
                    new NodeTuple(YamlNodes.str("enc"), YamlNodes.literal(armored)))));
        }
        meta.add(new NodeTuple(YamlNodes.str("age"), YamlNodes.sequence(ages)));
        meta.add(new NodeTuple(YamlNodes.str("lastmodified"), YamlNodes.quoted(lastModified)));
        meta.add(new NodeTuple(YamlNodes.str("mac"), YamlNodes.str(mac)));
        meta.add(new NodeTuple(YamlNodes.str("pgp"), YamlNodes.emptyList()));
        if (encryptedRegex != null && !encryptedRegex.isEmpty()) {
            meta.add(new NodeTuple(YamlNodes.str("encrypted_regex"), YamlNodes.str(encryptedRegex)));
        } else {
            meta.add(new NodeTuple(YamlNodes.str("unencrypted_suffix"), YamlNodes.str(SopsRules.DEFAULT_UNENCRYPTED_SUFFIX)));
        }
        meta.add(new NodeTuple(YamlNodes.str("version"), YamlNodes.str(WRITER_VERSION)));
        return YamlNodes.mapping(meta);
    }

    private static byte[] dataKey(Map<String, Node> meta, List<String> identities, String file) {
        Node ages = meta.get("age");
        List<String> recipients = new ArrayList<>();
        if (ages instanceof SequenceNode sequence) {
            for (Node entry : sequence.getValue()) {
                Map<String, Node> age = YamlNodes.entries(entry);
                String recipient = age.get("recipient") instanceof ScalarNode r ? r.getValue() : "?";
                recipients.add(recipient);
                if (age.get("enc") instanceof ScalarNode enc) {
                    byte[] key = Age.decrypt(enc.getValue(), identities, file);
                    if (key != null) {
                        if (key.length != 32) {
                            throw new SecretException(file, "the sops data key is not 32 bytes");
                        }
                        return key;
                    }
                }
            }
        }
        if (recipients.isEmpty()) {
            throw new SecretException(file, "not encrypted for any age recipient (only age is supported; KMS/PGP/Vault are not)");
        }
        throw new SecretException(file, "none of the given age keys can decrypt it (it is encrypted for " + recipients + ")");
    }

    private static SopsValue open(String text, byte[] dataKey, String aad, String file, String what) {
        try {
            return SopsValue.decrypt(text, dataKey, aad);
        } catch (IllegalArgumentException e) {
            throw new SecretException(file, what + " should be encrypted but is not a sops value (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new SecretException(file, what + " does not decrypt: the file was changed after it was encrypted"
                    + (SopsValue.isTagFailure(e) ? "" : " (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** Visits every scalar leaf with its key path (list items keep their list's path, as in sops), rebuilding the tree. */
    private static Node walk(Node node, List<String> path, BiFunction<ScalarNode, List<String>, Node> leaf) {
        if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            for (int i = 0; i < tuples.size(); i++) {
                NodeTuple tuple = tuples.get(i);
                String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(tuple.getKeyNode());
                path.add(key);
                Node value = walk(tuple.getValueNode(), path, leaf);
                path.remove(path.size() - 1);
                if (value != tuple.getValueNode()) {
                    tuples.set(i, new NodeTuple(tuple.getKeyNode(), value));
                }
            }
            return mapping;
        }
        if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                items.set(i, walk(items.get(i), path, leaf));
            }
            return sequence;
        }
        if (node instanceof ScalarNode scalar) {
            return leaf.apply(scalar, List.copyOf(path));
        }
        return node;
    }

    private static Map<String, Node> metadata(Node document) {
        if (!(document instanceof MappingNode)) {
            return null;
        }
        Node meta = YamlNodes.entries(document).get(METADATA_KEY);
        if (!(meta instanceof MappingNode)) {
            return null;
        }
        Map<String, Node> entries = YamlNodes.entries(meta);
        return entries.containsKey("mac") ? entries : null;
    }

    private static void removeMetadata(Node document) {
        if (document instanceof MappingNode mapping) {
            mapping.getValue().removeIf(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(METADATA_KEY));
        }
    }

    private static String text(Map<String, Node> meta, String key) {
        return meta.get(key) instanceof ScalarNode s && !YamlNodes.isNull(s) ? s.getValue() : null;
    }

    private static boolean isEmptyNode(Node node) {
        return YamlNodes.isNull(node) || (node instanceof SequenceNode s && s.getValue().isEmpty())
                || (node instanceof ScalarNode sc && (sc.getValue().isEmpty() || sc.getValue().equals("0")));
    }

    private static Tag tagOf(String type) {
        return switch (type) {
            case "int", "int64" -> Tag.INT;
            case "float" -> Tag.FLOAT;
            case "bool" -> Tag.BOOL;
            default -> Tag.STR;
        };
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is not available in this JDK", e);
        }
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        dump.setIndent(2);
        dump.setWidth(Integer.MAX_VALUE);
        return new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(dump), dump, options);
    }
}
