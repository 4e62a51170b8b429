package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dmreconciler.params.Problem;
import org.junit.jupiter.api.Test;

class ProblemTextTest {

    @Test
    void aValueIsMaskedTheKeyAndLocationStay() {
        assertEquals("environments/prod.yaml:7: jo_state: '…' is not one of [present, absent]",
                ProblemText.of(Problem.error("environments/prod.yaml:7", "jo_state", "'ghp_abc123' is not one of [present, absent]")));
        assertEquals("environments/prod.yaml:3: jo_replicas: expected an integer, got '…'",
                ProblemText.of(Problem.error("environments/prod.yaml:3", "jo_replicas", "expected an integer, got 'ghp_x'")));
    }

    @Test
    void suggestedKeysStayReadable() {
        assertEquals("e.yaml:2: jo_imag_tag: unknown variable (did you mean 'jo_image_tag'?)",
                ProblemText.of(Problem.error("e.yaml:2", "jo_imag_tag", "unknown variable (did you mean 'jo_image_tag'?)")));
    }

    @Test
    void noLocationNoSubject() {
        assertEquals("something failed", ProblemText.of(Problem.error("", null, "something failed")));
    }
}
