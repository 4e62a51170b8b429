package dev.dmreconciler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fingerprint's canonical text is the one every inventory recorded: written straight from the fields' maps, it
 * must equal what the formula before gave ({@code writeValueAsString(convertValue(fieldsV1, Object.class))} with
 * keys sorted), or every object would be planned as drifted once after an upgrade.
 */
class FingerprintTest {

    private static final ObjectMapper BEFORE = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> fields() {
        return Stream.of(
                "{}",
                "{\"f:data\":{}}",
                // as the API server sends a Deployment's: unsorted, nested, keys with quotes, dots, slashes
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"op\\\"}\":{\".\":{},"
                        + "\"f:image\":{},\"f:env\":{\"k:{\\\"name\\\":\\\"B\\\"}\":{},\"k:{\\\"name\\\":\\\"A\\\"}\":{}}}}}},"
                        + "\"f:replicas\":{}},\"f:metadata\":{\"f:labels\":{\"f:app.kubernetes.io/managed-by\":{},"
                        + "\".\":{},\"f:dm-reconciler.dev/application\":{}},\"f:annotations\":{\"f:dm-reconciler.dev/hash\":{}}}}",
                "{\"f:data\":{\"f:é ü\":{},\"f:tab\\t\":{},\"f:Z\":{},\"f:a\":{}}}",
                // never in fieldsV1, but written as before: values that are not maps, a null
                "{\"b\":[{\"y\":1,\"x\":2}],\"a\":null,\"c\":\"s\",\"d\":1.5,\"e\":true}");
    }

    @ParameterizedTest
    @MethodSource("fields")
    @SuppressWarnings("unchecked")
    void theCanonicalTextIsTheRecordedOne(String json) throws Exception {
        FieldsV1 fields = new FieldsV1();
        ((Map<String, Object>) JSON.readValue(json, LinkedHashMap.class)).forEach(fields::setAdditionalProperty);
        ManagedFieldsEntry entry = new ManagedFieldsEntryBuilder().withManager("dm-reconciler").withOperation("Apply")
                .withApiVersion("v1").withFieldsV1(fields).build();
        assertEquals(BEFORE.writeValueAsString(BEFORE.convertValue(entry.getFieldsV1(), Object.class)),
                Fingerprint.canonical(entry));
    }

    @ParameterizedTest
    @MethodSource("fields")
    void anEntryReadFromJsonHasTheSameText(String json) throws Exception {
        ManagedFieldsEntry entry = JSON.readValue("{\"manager\":\"m\",\"operation\":\"Apply\",\"apiVersion\":\"v1\","
                + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":" + json + "}", ManagedFieldsEntry.class);
        assertEquals(BEFORE.writeValueAsString(BEFORE.convertValue(entry.getFieldsV1(), Object.class)),
                Fingerprint.canonical(entry));
    }

    @org.junit.jupiter.api.Test
    void noFieldsAtAll() throws Exception {
        ManagedFieldsEntry none = new ManagedFieldsEntryBuilder().withManager("m").withApiVersion("v1").build();
        assertEquals(BEFORE.writeValueAsString(BEFORE.convertValue(none.getFieldsV1(), Object.class)), Fingerprint.canonical(none));
        FieldsV1 empty = new FieldsV1();
        empty.setAdditionalProperties(null);
        ManagedFieldsEntry nullMap = new ManagedFieldsEntryBuilder().withManager("m").withApiVersion("v1").withFieldsV1(empty).build();
        assertEquals(BEFORE.writeValueAsString(BEFORE.convertValue(nullMap.getFieldsV1(), Object.class)),
                Fingerprint.canonical(nullMap));
    }
}
