package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the HTTP requests a client sends, by method ({@code WATCH} for a GET that opens a watch). Write requests are POST, PUT, PATCH and DELETE;
 * the no-op guarantee ("an unchanged environment costs zero writes") is checked with this count.
 */
public final class RequestCounter implements Interceptor {

    private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
    /** "METHOD /path" of every write, for tests that claim an object was never written (bounded). */
    private final java.util.Queue<String> writes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** "METHOD /path?query" of every request, for tests that claim none was sent (bounded). */
    private final java.util.Queue<String> requests = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int KEPT_WRITES = 10_000;
    /*
     * How many entries each log holds: ConcurrentLinkedQueue.size() walks the whole queue, and calling it on every
     * request made the counter quadratic (12 % of a cold apply's client CPU at 300 namespaces, and a walk of 10,000
     * nodes per request once the log was full, for the whole life of `run`).
     */
    private final java.util.concurrent.atomic.AtomicInteger writesKept = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger requestsKept = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String query = request.uri().getQuery();
        // a watch (an informer re-opening it every few minutes) is counted apart from the reads of a pass
        record(query != null && query.contains("watch=true") ? "WATCH" : request.method());
        if (requestsKept.get() < KEPT_WRITES && requestsKept.incrementAndGet() <= KEPT_WRITES) {
            requests.add(request.method() + " " + request.uri().getPath()
                    + (request.uri().getQuery() == null ? "" : "?" + request.uri().getQuery()));
        }
        if (!request.method().equals("GET") && writesKept.get() < KEPT_WRITES && writesKept.incrementAndGet() <= KEPT_WRITES) {
            writes.add(request.method() + " " + request.uri().getPath());
        }
    }

    /** Every request since the last reset, as "METHOD /path?query" (the first 10,000). */
    public java.util.List<String> requestLog() {
        return java.util.List.copyOf(requests);
    }

    /** The writes since the last reset, as "METHOD /path" (the first 10,000). */
    public java.util.List<String> writeLog() {
        return java.util.List.copyOf(writes);
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
        writes.clear();
        requests.clear();
        writesKept.set(0);
        requestsKept.set(0);
    }
}
