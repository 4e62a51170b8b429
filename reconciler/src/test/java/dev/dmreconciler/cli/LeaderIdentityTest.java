package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Two processes never share a leader-election identity (review S12-F1: with the host name alone, two replicas on one
 * host both took the Lease for their own and both wrote); the pod's or host's name stays readable in it.
 */
class LeaderIdentityTest {

    @Test
    void twoProcessesWithOnePodNameHaveTwoIdentities() {
        String a = RunCommand.leaderIdentity("dm-reconciler-0", "node-1");
        String b = RunCommand.leaderIdentity("dm-reconciler-0", "node-1");
        assertNotEquals(a, b);
        assertTrue(a.startsWith("dm-reconciler-0_"), a);
    }

    @Test
    void withoutAPodNameTheHostNameAndStillUnique() {
        String a = RunCommand.leaderIdentity(null, "vm");
        String b = RunCommand.leaderIdentity("", "vm");
        assertNotEquals(a, b);
        assertTrue(a.startsWith("vm_") && b.startsWith("vm_"), a + " " + b);
    }
}
