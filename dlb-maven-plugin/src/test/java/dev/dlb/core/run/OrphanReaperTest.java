package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.PROJECT;
import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.Resource.Kind;
import dev.dlb.core.run.LockProbe.State;
import dev.dlb.core.run.OrphanReaper.Decision;
import dev.dlb.core.run.StackSession.Lifetime;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.FakeLocks;
import dev.dlb.core.testing.FakeProbe;
import dev.dlb.core.testing.FakeProcesses;
import dev.dlb.core.testing.FakeTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The reaper runs at the start of every start: which earlier sessions of the project it removes. Only those
 * provably left behind: another checkout's build of the same project may be in the middle of its tests.
 */
class OrphanReaperTest {

    private static final String BOOT = "boot-1";
    private static final String PIDS = "pid:[4026531836]";
    private static final Optional<FileId> HERE = Optional.of(new FileId(2049, 12, Path.of("/work/shop")));
    private static final Optional<FileId> OTHER_CHECKOUT = Optional.of(new FileId(2049, 13, Path.of("/work/shop-branch")));
    private static final FileId LOCK = new FileId(2049, 77, Path.of("/builds/shop/target/dlb/session-ab.lock"));

    private final FakeProcesses processes = new FakeProcesses(new ProcessId(BOOT, PIDS, 100, 5000)).running(4242, 900);
    private final FakeLocks locks = new FakeLocks();
    private final FakeEngine engine = FakeEngine.withStackImages();
    private final List<String> log = new ArrayList<>();
    private final OrphanReaper reaper = new OrphanReaper(engine, new StackStopper(engine, log::add), new OwnerCheck(processes, locks), log::add);

    @Test
    void aSessionWhoseBuildIsGoneIsRemoved() {
        Decision d = decide(Ownership.attended(owner(PIDS, 4243, false), OTHER_CHECKOUT));

        assertEquals(new Decision(true, "its Maven process 4243 is gone"), d);
    }

    @Test
    void aSessionWhoseBuildRunsIsLeftAloneWhicheverCheckoutItIs() {
        Decision d = decide(Ownership.attended(owner(PIDS, 4242, false), OTHER_CHECKOUT));

        assertLeft(d, "its build is running (its Maven process 4242 still runs)");
    }

    @Test
    void aBuildInAnotherPidNamespaceIsGoneOnlyWhenItsLockIsFree() {
        locks.with(LOCK, State.FREE);

        assertTrue(decide(Ownership.attended(owner("pid:[4026532179]", 4242, true), OTHER_CHECKOUT)).remove());
    }

    @Test
    void whatCannotBeProvenIsLeftAloneSayingHowToRemoveIt() {
        Decision d = decide(Ownership.attended(owner("pid:[4026532179]", 4243, false), OTHER_CHECKOUT));

        assertLeft(d, "nothing here proves that its build (pid 4243 on ci-1) is gone: its build, in another pid namespace");
        assertTrue(d.why().endsWith("If that build is gone, remove the session with mvn dlb:stop -Ddlb.stop.session=s0"), d::why);
    }

    @Test
    void aStackKeptByThisCheckoutIsRemoved() {
        Decision d = decide(Ownership.unowned(Lifetime.KEPT, Optional.of(new FileId(2049, 12, Path.of("/mnt/bind/of/shop")))));

        assertEquals(new Decision(true, "kept running by an earlier debug run (-Ddlb.keepRunning) of this checkout"), d);
    }

    @Test
    void aStackKeptByAnotherCheckoutIsLeftAlone() {
        Decision d = decide(Ownership.unowned(Lifetime.KEPT, OTHER_CHECKOUT));

        assertLeft(d, "kept running (-Ddlb.keepRunning) by a build in /work/shop-branch, which is not this checkout; remove it there "
                + "with mvn dlb:stop, or here with mvn dlb:stop -Ddlb.stop.session=s0");
    }

    @Test
    void aStackKeptByAnUnknownCheckoutIsLeftAlone() {
        assertLeft(decide(Ownership.unowned(Lifetime.KEPT, Optional.empty())), "by a build in an unknown checkout");
        assertLeft(reaper.decide("s0", Ownership.unowned(Lifetime.KEPT, HERE).labels(), Optional.empty()), "which is not this checkout");
    }

    @Test
    void aStackStartedByHandIsLeftAloneEvenInThisCheckout() {
        Decision d = decide(Ownership.unowned(Lifetime.UNATTENDED, HERE));

        assertLeft(d, "started by hand (mvn dlb:start) in /work/shop; it runs until mvn dlb:stop there");
    }

    @Test
    void labelsOfAnOlderPluginAreLeftAlone() {
        Decision d = reaper.decide("s0", Map.of(Labels.OWNER, "ci-1/4243/2020-01-01T00:00:00Z"), HERE);

        assertLeft(d, "its labels (dev.dlb.owner=ci-1/4243/2020-01-01T00:00:00Z) are not ones this plugin version can check");
    }

    @Test
    void startRemovesOnlyTheProjectsSessionsProvablyLeftBehind() throws Exception {
        session(PROJECT, "dead", Ownership.attended(owner(PIDS, 4243, false), OTHER_CHECKOUT));
        session(PROJECT, "kept-here", Ownership.unowned(Lifetime.KEPT, HERE));
        session(PROJECT, "kept-there", Ownership.unowned(Lifetime.KEPT, OTHER_CHECKOUT));
        session(PROJECT, "live", Ownership.attended(owner(PIDS, 4242, false), OTHER_CHECKOUT));
        session(PROJECT, "by-hand", Ownership.unowned(Lifetime.UNATTENDED, HERE));
        session(PROJECT, "remote", Ownership.attended(new Owner("ci-2", new ProcessId("boot-0", PIDS, 4243, 900), Optional.empty()),
                OTHER_CHECKOUT));
        session("dev.dlb.test:other", "foreign", Ownership.attended(owner(PIDS, 4243, false), OTHER_CHECKOUT));

        new StackStarter(engine, FakeProbe.roundRobin("web-1"), new FakeTime().pacer(), new OwnerCheck(processes, locks), log::add)
                .start(spec().replicas(1).stack(), "new", Ownership.attended(owner(PIDS, 100, false), HERE));

        List<String> left = engine.liveNames().stream().filter(n -> n.endsWith("-web-1") && !n.startsWith("dlb-")).toList();
        assertEquals(List.of("by-hand-web-1", "foreign-web-1", "kept-there-web-1", "live-web-1", "remote-web-1"), left);
        assertTrue(engine.liveNames().contains("dlb-shop-new-web-1"), engine.liveNames()::toString);
        assertTrue(log.contains("Removing session dead of " + PROJECT + " left behind (its Maven process 4243 is gone)"), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Removing session kept-here of " + PROJECT)), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Leaving session remote of " + PROJECT + " alone: nothing here proves")),
                log::toString);
        assertFalse(log.stream().anyMatch(l -> l.contains("foreign")), "another project's sessions are not even looked at: " + log);
    }

    private Decision decide(Ownership ownership) {
        return reaper.decide("s0", ownership.labels(), HERE);
    }

    private static void assertLeft(Decision d, String why) {
        assertFalse(d.remove(), d::toString);
        assertTrue(d.why().contains(why), d::why);
    }

    private static Owner owner(String pids, long pid, boolean lock) {
        return new Owner("ci-1", new ProcessId(BOOT, pids, pid, 900), lock ? Optional.of(LOCK) : Optional.empty());
    }

    private void session(String project, String session, Ownership ownership) {
        engine.add(Kind.CONTAINER, session + "-web-1", Labels.of(project, session, "web", ownership));
        engine.add(Kind.NETWORK, session, Labels.of(project, session, "network", ownership));
    }
}
