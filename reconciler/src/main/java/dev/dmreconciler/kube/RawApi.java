package dev.dmreconciler.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * Requests the typed DSL cannot express, sent through a client's own HTTP client, so they are counted
 * ({@link RequestCounter}), fenced ({@link WriteFence}), retried as that client retries, bounded by its timeouts,
 * and carry its impersonation (a derived client's request config travels as a tag of its HTTP client). Used for
 * metadata-only reads ({@code Accept: …;as=PartialObjectMetadataList}) and for server-side apply with a body
 * serialised once and an answer parsed only as far as needed. Errors are thrown as the client's
 * {@link KubernetesClientException} with the server's {@link Status}, as the DSL throws them.
 */
public final class RawApi {

    private final KubernetesClient client;

    public RawApi(KubernetesClient client) {
        this.client = client;
    }

    /** {@code /api/v1/namespaces/ns/configmaps/name}; namespace and name may be null (all namespaces, a list). */
    public static String path(ResourceDefinitionContext type, String namespace, String name) {
        StringBuilder path = new StringBuilder(type.getGroup() == null || type.getGroup().isEmpty()
                ? "/api/" + type.getVersion() : "/apis/" + type.getGroup() + "/" + type.getVersion());
        if (type.isNamespaceScoped() && namespace != null && !namespace.isEmpty()) {
            path.append("/namespaces/").append(encode(namespace));
        }
        path.append('/').append(type.getPlural());
        if (name != null) {
            path.append('/').append(encode(name));
        }
        return path.toString();
    }

    /** A path segment or query value, percent-encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET; the body of a 2xx answer, or null for a 404 when {@code absentIsNull}. */
    public byte[] get(String pathAndQuery, String accept, boolean absentIsNull) {
        HttpClient http = client.getHttpClient();
        return send(http.newHttpRequestBuilder().uri(url(pathAndQuery)).header("Accept", accept).build(),
                "GET " + pathAndQuery, absentIsNull);
    }

    /** A request with a body (PATCH, POST, PUT); the body of the 2xx answer. */
    public byte[] send(String method, String pathAndQuery, String contentType, byte[] body) {
        return send(method, pathAndQuery, contentType, body, "application/json");
    }

    /** A request with a body and the answer's media type ({@code Accept}); the body of the 2xx answer. */
    public byte[] send(String method, String pathAndQuery, String contentType, byte[] body, String accept) {
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(url(pathAndQuery)).header("Accept", accept)
                .method(method, contentType, new ByteArrayInputStream(body), (long) body.length).build();
        return send(request, method + " " + pathAndQuery, false);
    }

    private String url(String pathAndQuery) {
        String base = client.getMasterUrl().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery;
    }

    private byte[] send(HttpRequest request, String what, boolean absentIsNull) {
        HttpResponse<byte[]> response;
        try {
            response = client.getHttpClient().sendAsync(request, byte[].class).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof KubernetesClientException k) {
                throw k;
            }
            throw new KubernetesClientException(what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubernetesClientException.launderThrowable(e);
        }
        if (response.isSuccessful()) {
            return response.body();
        }
        if (response.code() == 404 && absentIsNull) {
            return null;
        }
        throw failure(what, response);
    }

    private KubernetesClientException failure(String what, HttpResponse<byte[]> response) {
        Status status = null;
        try {
            status = client.getKubernetesSerialization().unmarshal(
                    new String(response.body() == null ? new byte[0] : response.body(), StandardCharsets.UTF_8), Status.class);
        } catch (RuntimeException notAStatus) {
            // a proxy's error page: reported with the code alone
        }
        if (status != null && status.getMessage() != null) {
            if (status.getCode() == null) {
                status.setCode(response.code());
            }
            return new KubernetesClientException(status);
        }
        return new KubernetesClientException(what + " failed: HTTP " + response.code(), response.code(), null);
    }
}
