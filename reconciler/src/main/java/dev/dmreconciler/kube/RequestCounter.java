package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the HTTP requests a client sends, by method. Write requests are POST, PUT, PATCH and DELETE;
 * the no-op guarantee ("an unchanged environment costs zero writes") is checked with this count.
 */
public final class RequestCounter implements Interceptor {

    private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        record(request.method());
    }

    void record(String method) {
        byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
    }

    public long reads() {
        return count("GET");
    }

    public long writes() {
        return count("POST") + count("PUT") + count("PATCH") + count("DELETE");
    }

    public long count(String method) {
        LongAdder adder = byMethod.get(method);
        return adder == null ? 0 : adder.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        byMethod.forEach((method, adder) -> copy.put(method, adder.sum()));
        return copy;
    }

    public void reset() {
        byMethod.clear();
    }
}
