package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Retries back off exponentially and stop growing at their cap, so a dead remote is not hammered. */
class BackoffTest {

    @Test
    void doublesFromTheBaseUpToTheCap() {
        Duration base = Duration.ofSeconds(2);
        Duration cap = Duration.ofMinutes(1);
        assertEquals(Duration.ofSeconds(2), Controller.backoff(base, 1, cap));
        assertEquals(Duration.ofSeconds(4), Controller.backoff(base, 2, cap));
        assertEquals(Duration.ofSeconds(32), Controller.backoff(base, 5, cap));
        assertEquals(cap, Controller.backoff(base, 6, cap));
        assertEquals(cap, Controller.backoff(base, 10_000, cap), "no overflow for long outages");
    }
}
