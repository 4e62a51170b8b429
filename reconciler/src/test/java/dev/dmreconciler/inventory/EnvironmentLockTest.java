package dev.dmreconciler.inventory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class EnvironmentLockTest {

    private static final ZonedDateTime NOW = ZonedDateTime.now(ZoneOffset.UTC);

    private static Lease lease(String holder, ZonedDateTime renewed, int seconds) {
        return new LeaseBuilder().withNewMetadata().withName("l").endMetadata().withNewSpec().withHolderIdentity(holder)
                .withRenewTime(renewed).withAcquireTime(renewed).withLeaseDurationSeconds(seconds).endSpec().build();
    }

    @Test
    void aLiveHolderKeepsIt() {
        assertFalse(EnvironmentLock.free(lease("other-host:1:abc", NOW.minusSeconds(5), 30), NOW));
        // this very process, as another pass of it would see it
        assertFalse(EnvironmentLock.free(lease(EnvironmentLock.identity(), NOW.minusSeconds(5), 30), NOW));
    }

    @Test
    void anExpiredOrReleasedLeaseIsFree() {
        assertTrue(EnvironmentLock.free(lease("other-host:1:abc", NOW.minusSeconds(31), 30), NOW));
        assertTrue(EnvironmentLock.free(lease(null, NOW, 30), NOW));
        assertTrue(EnvironmentLock.free(lease("", NOW, 30), NOW));
    }

    @Test
    void aDeadProcessOfThisHostLeavesItAtOnce() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        String host = EnvironmentLock.identity().split(":")[0];
        assertTrue(EnvironmentLock.free(lease(host + ":" + process.pid() + ":abc", NOW.minusSeconds(1), 30), NOW));
        assertFalse(EnvironmentLock.free(lease("elsewhere:" + process.pid() + ":abc", NOW.minusSeconds(1), 30), NOW));
    }
}
