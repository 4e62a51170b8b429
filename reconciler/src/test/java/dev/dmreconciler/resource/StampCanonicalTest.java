package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical text under the hash annotation is the one every live object carries: written into one builder now,
 * it must equal what the formula before gave (a string per nested map, the key-sorted rendering below), or every
 * object would be planned as changed once after an upgrade. So must the digests (one reused per thread now).
 */
class StampCanonicalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The rendering as it was written before (one string per nested value). */
    @SuppressWarnings("unchecked")
    private static String before(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            new TreeMap<>((Map<String, Object>) map).forEach((k, v) -> {
                if (!k.equals(Stamp.HASH) && !k.equals(Stamp.ADOPTED)) {
                    out.append(quote(k)).append(':').append(before(v)).append(',');
                }
            });
            return out.append('}').toString();
        }
        if (value instanceof Iterable<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(item -> out.append(before(item)).append(','));
            return out.append(']').toString();
        }
        return value instanceof String s ? quote(s) : String.valueOf(value);
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static Stream<String> bodies() {
        return Stream.of(
                "{}",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"annotations\":{"
                        + "\"dm-reconciler.dev/hash\":\"x\",\"dm-reconciler.dev/adopted\":\"true\",\"b\":\"2\",\"a\":\"1\"}},"
                        + "\"data\":{\"z\":\"q\\\"uote\\\\back\\\\\\\"both\",\"é\":\"ü\\n\\t\",\"k\":\"\"}}",
                "{\"kind\":\"Deployment\",\"spec\":{\"replicas\":3,\"paused\":false,\"ratio\":1.5,\"none\":null,"
                        + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"op\",\"args\":[\"--a\",\"b\"],\"env\":[]},"
                        + "{\"name\":\"side\",\"ports\":[{\"containerPort\":80}]}]}}},\"list\":[[1,2],[],{}]}");
    }

    @ParameterizedTest
    @MethodSource("bodies")
    @SuppressWarnings("unchecked")
    void theCanonicalTextIsTheRecordedOne(String json) throws Exception {
        Map<String, Object> body = JSON.readValue(json, LinkedHashMap.class);
        assertEquals(before(body), Stamp.canonical(body));
        Map<String, Object> sorted = new TreeMap<>(body); // a sorted map is written as it is
        assertEquals(before(sorted), Stamp.canonical(sorted));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(before(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(digest).substring(0, 32), Stamp.hash(body));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void aReusedDigestGivesEachTextItsOwn(String json) throws Exception {
        List<String> texts = new ArrayList<>(List.of(json, "", json + " ", "x".repeat(10_000)));
        for (String text : texts) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(digest).substring(0, 20), Digests.sha256(text, 20));
        }
    }
}
