package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** API error messages as the API server writes them, trimmed to the sentence a person needs. */
class ApiErrorsTest {

    private static final String JOB_DUMP = "core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", GenerateName:\"\", "
            + "Namespace:\"\", Labels:map[string]string{\"controller-uid\":\"1d7c\", \"job-name\":\"once\"}}, "
            + "Spec:core.PodSpec{Containers:[]core.Container{core.Container{Name:\"main\", Image:\"busybox:2\"}}}}";

    private static String describe(Status status, boolean debug) {
        return ApiErrors.describe(new KubernetesClientException(status), debug);
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder().withCode(code).withReason(reason).withMessage(message).build();
    }

    @Test
    void immutableJobTemplateLosesTheGoDump() {
        Status status = new StatusBuilder().withCode(422).withReason("Invalid")
                .withMessage("Job.batch \"once\" is invalid: spec.template: Invalid value: " + JOB_DUMP + ": field is immutable")
                .withNewDetails().addNewCause().withField("spec.template")
                .withMessage("Invalid value: " + JOB_DUMP + ": field is immutable").withReason("FieldValueInvalid")
                .endCause().endDetails().build();
        assertEquals("API error 422 (Invalid): spec.template: field is immutable", describe(status, false));
        assertTrue(describe(status, true).contains("core.PodTemplateSpec{"), "debug keeps everything");
    }

    @Test
    void shortInvalidValuesStayAndSeveralCausesAreJoined() {
        Status status = new StatusBuilder().withCode(422).withReason("Invalid")
                .withMessage("Service \"web\" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and "
                        + "65535, inclusive, spec.ports[0].name: Required value]")
                .withNewDetails()
                .addNewCause().withField("spec.ports[0].port").withMessage("Invalid value: 0: must be between 1 and 65535, inclusive").endCause()
                .addNewCause().withField("spec.ports[0].name").withMessage("Required value").endCause()
                .endDetails().build();
        assertEquals("API error 422 (Invalid): spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, "
                + "inclusive; spec.ports[0].name: Required value", describe(status, false));
    }

    @Test
    void typedPatchErrorKeepsTheFieldAndTheReason() {
        Status status = status(500, "", "failed to create typed patch object (/v1, Kind=Service) perm/web: .spec.ports: "
                + "element 1: associative list with keys has an element that omits key field \"protocol\" (and doesn't "
                + "have default value)");
        assertEquals("API error 500: .spec.ports: element 1: associative list with keys has an element that omits key "
                + "field \"protocol\"", describe(status, false));
    }

    @Test
    void usefulMessagesPassUnchanged() {
        String forbidden = "services \"web\" is forbidden: User \"system:serviceaccount:dm:r\" cannot patch resource "
                + "\"services\" in API group \"\" in the namespace \"perm\"";
        assertEquals("API error 403 (Forbidden): " + forbidden, describe(status(403, "Forbidden", forbidden), false));
        String conflict = "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas";
        assertEquals("API error 409 (Conflict): " + conflict, describe(status(409, "Conflict", conflict), false));
    }

    @Test
    void invalidWithoutCausesStillDropsTheObjectPrefixAndLongValues() {
        Status status = status(422, "Invalid", "PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is "
                + "immutable after creation except resources.requests for bound claims");
        assertEquals("API error 422 (Invalid): spec: Forbidden: spec is immutable after creation except "
                + "resources.requests for bound claims", describe(status, false));
    }

    @Test
    void veryLongMessagesAreCapped() {
        String text = describe(status(500, "InternalError", "x".repeat(5000)), false);
        assertTrue(text.length() < 500, text);
        assertTrue(text.endsWith("(RECONCILER_DEBUG=1 shows all)"), text);
        assertEquals(5000 + "API error 500 (InternalError): ".length(), describe(status(500, "InternalError", "x".repeat(5000)), true).length());
    }

    @Test
    void errorsWithoutAStatusNameTheCause() {
        KubernetesClientException e = new KubernetesClientException("An error has occurred.", new IOException("Connection refused"));
        assertEquals("no answer from the API server: An error has occurred. (Connection refused)", ApiErrors.describe(e, false));
        assertEquals("not served", ApiErrors.describe(new IllegalStateException("not served"), false));
    }
}
