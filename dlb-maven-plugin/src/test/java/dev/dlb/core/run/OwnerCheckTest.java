package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.run.LockProbe.State;
import dev.dlb.core.run.OwnerCheck.Liveness;
import dev.dlb.core.run.OwnerCheck.Verdict;
import dev.dlb.core.testing.FakeLocks;
import dev.dlb.core.testing.FakeProcesses;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The liveness rule: what proves a session's owner gone, from where the reaping process stands. */
class OwnerCheckTest {

    private static final String BOOT = "boot-1";
    private static final String HOST_PIDS = "pid:[4026531836]";
    private static final String CONTAINER_PIDS = "pid:[4026532179]";
    private static final FileId LOCK = new FileId(2049, 77, Path.of("/builds/shop/target/dlb/session-ab.lock"));

    private final FakeProcesses processes = new FakeProcesses(new ProcessId(BOOT, HOST_PIDS, 100, 5000));
    private final FakeLocks locks = new FakeLocks();
    private final OwnerCheck check = new OwnerCheck(processes, locks);

    @Test
    void samePidNamespaceAndTheOwnerRunsIsAlive() {
        processes.running(4242, 900);

        assertVerdict(Liveness.ALIVE, "its Maven process 4242 still runs", owner(BOOT, HOST_PIDS, 4242, 900, false));
    }

    @Test
    void samePidNamespaceAndNoSuchPidIsGone() {
        assertVerdict(Liveness.GONE, "its Maven process 4242 is gone", owner(BOOT, HOST_PIDS, 4242, 900, false));
    }

    @Test
    void samePidNamespaceAndThePidStartedLaterIsGone() {
        processes.running(4242, 1200);

        assertVerdict(Liveness.GONE, "that pid is another process's now", owner(BOOT, HOST_PIDS, 4242, 900, false));
    }

    @Test
    void samePidNamespaceNeedsNoLock() {
        processes.running(4242, 900);
        locks.with(LOCK, State.FREE);

        assertVerdict(Liveness.ALIVE, "still runs", owner(BOOT, HOST_PIDS, 4242, 900, true));
        assertEquals(0, locks.probes());
    }

    /** The case that fooled the host-name rule: a CI agent in a container that shares the host's name, not its pids. */
    @Test
    void anotherPidNamespaceIsNeverJudgedByItsPid() {
        Owner inContainer = owner(BOOT, CONTAINER_PIDS, 4242, 900, false);

        assertVerdict(Liveness.UNKNOWN, "in another pid namespace (" + CONTAINER_PIDS + ", here " + HOST_PIDS + "), recorded no lock file",
                inContainer);
    }

    @Test
    void anotherPidNamespaceWhoseLockIsFreeIsGone() {
        locks.with(LOCK, State.FREE);

        assertVerdict(Liveness.GONE, "no longer holds its lock on " + LOCK.path(), owner(BOOT, CONTAINER_PIDS, 4242, 900, true));
    }

    @Test
    void anotherPidNamespaceWhoseLockIsHeldIsAlive() {
        locks.with(LOCK, State.HELD);

        assertVerdict(Liveness.ALIVE, "still holds its lock on " + LOCK.path(), owner(BOOT, CONTAINER_PIDS, 4242, 900, true));
    }

    @Test
    void anotherPidNamespaceWhoseLockIsOutOfReachProvesNothing() {
        assertVerdict(Liveness.UNKNOWN, "holds a lock that cannot be checked from here: no such file here",
                owner(BOOT, CONTAINER_PIDS, 4242, 900, true));
    }

    @Test
    void anotherBootProvesNothingEvenWithAFreeLockAndNoSuchPid() {
        locks.with(LOCK, State.FREE);

        assertVerdict(Liveness.UNKNOWN, "another kernel (boot id boot-0, here boot-1)", owner("boot-0", HOST_PIDS, 4242, 900, true));
        assertEquals(0, locks.probes());
    }

    @Test
    void anOwnerWithoutProcProvesNothing() {
        assertVerdict(Liveness.UNKNOWN, "could not be identified (no /proc)",
                owner(ProcessId.UNKNOWN, ProcessId.UNKNOWN, 4242, 0, false));
    }

    @Test
    void aReaperWithoutProcProvesNothing() {
        OwnerCheck blind = new OwnerCheck(new FakeProcesses(new ProcessId(ProcessId.UNKNOWN, ProcessId.UNKNOWN, 100, 0)), locks);

        Verdict verdict = blind.check(owner(BOOT, HOST_PIDS, 4242, 900, false));

        assertEquals(Liveness.UNKNOWN, verdict.liveness(), verdict::toString);
    }

    private void assertVerdict(Liveness expected, String why, Owner owner) {
        Verdict verdict = check.check(owner);
        assertEquals(expected, verdict.liveness(), verdict::toString);
        assertTrue(verdict.why().contains(why), verdict::toString);
    }

    private static Owner owner(String boot, String pids, long pid, long startTicks, boolean lock) {
        return new Owner("ci-agent", new ProcessId(boot, pids, pid, startTicks), lock ? Optional.of(LOCK) : Optional.empty());
    }
}
