package dev.dmreconciler.controller;

import dev.dmreconciler.secrets.Redactor;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.apply.Result;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;

/**
 * Kubernetes Events on the objects the reconciler changed or failed to change ({@code kubectl describe}
 * shows them). Unchanged objects get none, so a no-op pass still writes nothing. Events of cluster-scoped
 * objects go to the "default" namespace, as the API server expects.
 */
final class EventRecorder {

    private final KubernetesClient client;
    private final Log log;

    EventRecorder(KubernetesClient client, Log log) {
        this.client = client;
        this.log = log;
    }

    /** @param mayWrite asked before every Event: an Event is a write like any other, fenced by leadership */
    void record(String environment, String revision, ApplyReport report, java.util.function.BooleanSupplier mayWrite) {
        for (Result result : report.results()) {
            if (!mayWrite.getAsBoolean()) {
                return;
            }
            // the result vocabulary, capitalised as Event reasons are; unchanged/kept/skipped objects get none
            String reason = switch (result.outcome()) {
                case CREATED -> "Created";
                case CONFIGURED -> "Configured";
                case DELETED -> "Deleted";
                case REPLACED -> "Replaced";
                case ADOPTED -> "Adopted";
                case REFUSED -> "Refused";
                case FAILED -> "Failed";
                default -> null;
            };
            if (reason == null) {
                continue;
            }
            var key = result.change().key();
            String namespace = key.namespace().isEmpty() ? "default" : key.namespace();
            String message = Redactor.global().redact((result.message() == null || result.message().isEmpty() ? reason : result.message())
                    + " (environment " + environment + ", revision " + EnvironmentStatus.abbreviate(revision) + ")");
            String now = Instant.now().toString();
            try {
                client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                        .withNewMetadata().withGenerateName(key.name() + ".").withNamespace(namespace).endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(result.change().apiVersion())
                                .withKind(key.kind()).withNamespace(key.namespace().isEmpty() ? null : key.namespace())
                                .withName(key.name()).build())
                        .withReason(reason).withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                        .withType(result.outcome().notConverged() ? "Warning" : "Normal")
                        .withNewSource().withComponent("dm-reconciler").endSource()
                        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                        .build()).create();
            } catch (KubernetesClientException e) {
                log.warn("event not recorded", "object", key, "error", e.getCode());
            }
        }
    }
}
