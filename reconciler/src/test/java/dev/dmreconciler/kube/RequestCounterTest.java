package dev.dmreconciler.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Counts are exact however many requests; the logs keep the first 10,000 (bounded, without walking the queue). */
class RequestCounterTest {

    private static HttpRequest request(String method, String uri) {
        HttpRequest.Builder builder = new StandardHttpRequest.Builder().uri(URI.create(uri));
        if (!method.equals("GET")) {
            builder.method(method, "application/json", "{}");
        }
        return builder.build();
    }

    @Test
    void countsEveryRequestAndKeepsTheFirstTenThousandInItsLogs() {
        RequestCounter counter = new RequestCounter();
        for (int i = 0; i < 12_000; i++) {
            counter.before(null, request("GET", "https://k/api/v1/namespaces/n" + i), null);
            counter.before(null, request("PATCH", "https://k/api/v1/namespaces/n" + i + "/configmaps/c"), null);
        }
        counter.before(null, request("GET", "https://k/api/v1/configmaps?watch=true"), null);
        assertEquals(12_000, counter.reads());
        assertEquals(12_000, counter.writes());
        assertEquals(1, counter.count("WATCH"));
        assertEquals(10_000, counter.requestLog().size());
        assertEquals("GET /api/v1/namespaces/n0", counter.requestLog().get(0));
        assertEquals(10_000, counter.writeLog().size());
        assertEquals("PATCH /api/v1/namespaces/n0/configmaps/c", counter.writeLog().get(0));

        counter.reset();
        counter.before(null, request("PUT", "https://k/api/v1/namespaces/x/configmaps/c"), null);
        assertEquals(java.util.List.of("PUT /api/v1/namespaces/x/configmaps/c"), counter.writeLog(), "the logs start again after a reset");
        assertEquals(1, counter.requestLog().size());
        assertEquals(0, counter.reads());
    }
}
