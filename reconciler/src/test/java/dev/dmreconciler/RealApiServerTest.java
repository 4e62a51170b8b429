package dev.dmreconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** The wait around kube-api-test's midnight wrap: only when start + timeout would pass midnight, and just past it. */
class RealApiServerTest {

    private static final Duration MINUTE = Duration.ofSeconds(60);

    @Test
    void startsAtOnceUnlessTheTimeoutWouldPassMidnight() {
        assertEquals(Duration.ZERO, RealApiServer.midnightWait(LocalTime.of(12, 0), MINUTE));
        assertEquals(Duration.ZERO, RealApiServer.midnightWait(LocalTime.of(0, 0), MINUTE));
        assertEquals(Duration.ZERO, RealApiServer.midnightWait(LocalTime.of(23, 58, 54), MINUTE), "66 s left: room enough");
        assertEquals(Duration.ofSeconds(31), RealApiServer.midnightWait(LocalTime.of(23, 59, 30), MINUTE));
        assertEquals(Duration.ofSeconds(65), RealApiServer.midnightWait(LocalTime.of(23, 58, 56), MINUTE), "64 s left, 65 needed");
        assertEquals(Duration.ofSeconds(2), RealApiServer.midnightWait(LocalTime.of(23, 59, 59), MINUTE));
        assertEquals(Duration.ofSeconds(301), RealApiServer.midnightWait(LocalTime.of(23, 55), Duration.ofMinutes(5)));
    }
}
