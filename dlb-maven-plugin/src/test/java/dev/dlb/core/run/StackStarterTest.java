package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.ContainerPlan.VolumeMount;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.FakeProbe;
import dev.dlb.core.testing.FakeTime;
import dev.dlb.core.testing.Owners;
import dev.dlb.core.testing.SpecBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StackStarterTest {

    private FakeEngine engine = FakeEngine.withStackImages();
    private final FakeTime time = new FakeTime();
    private final List<String> log = new ArrayList<>();

    @Test
    void returnsTheBalancerUrlOnceEveryReplicaAnsweredThroughIt() throws Exception {
        FakeProbe probe = FakeProbe.roundRobin("web-1", "web-2", "web-3");

        RunningStack stack = start(spec().replicas(3), probe);

        assertEquals(new RunningStack("s1", "http://127.0.0.1:" + FakeEngine.FREE_PORT + "/", FakeEngine.FREE_PORT,
                List.of("web-1", "web-2", "web-3")), stack);
        String balancer = "http://127.0.0.1:" + FakeEngine.FREE_PORT;
        assertEquals(List.of(URI.create(balancer + "/dlb-replica/web-1/dlb-health"), URI.create(balancer + "/dlb-replica/web-2/dlb-health"),
                URI.create(balancer + "/dlb-replica/web-3/dlb-health"), URI.create(balancer + "/dlb-balancer-rotation")), probe.asked());
        assertEquals(List.of("dlb-shop-s1-balancer"), engine.inspected(), "inspected for its port only: every replica answered at once");
        assertEquals(List.of("dlb-shop-balancer-data", "dlb-shop-s1", "dlb-shop-s1-balancer", "dlb-shop-s1-web", "dlb-shop-s1-web-1", "dlb-shop-s1-web-2",
                "dlb-shop-s1-web-3", "dlb-shop-web-data"), engine.liveNames());
    }

    @Test
    void createsTheBalancerWithTheReplicasOnceBothNetworksAndVolumesExistAndPublishesOnlyIt() throws Exception {
        start(spec().replicas(3).replicaEnv(2, "COLOR", "blue"), FakeProbe.roundRobin("web-1", "web-2", "web-3"));

        List<String> calls = engine.calls();
        int firstContainer = calls.stream().filter(c -> c.startsWith("create container")).mapToInt(calls::indexOf).min().orElseThrow();
        for (String made : List.of("create network dlb-shop-s1", "create network dlb-shop-s1-web", "create volume dlb-shop-web-data",
                "create volume dlb-shop-balancer-data")) {
            assertTrue(calls.indexOf(made) >= 0 && calls.indexOf(made) < firstContainer, calls::toString);
        }
        assertTrue(calls.contains("start dlb-shop-s1-balancer"), calls::toString);
        ContainerPlan web2 = plan("web-2");
        assertEquals(Map.of("COLOR", "blue", "DLB_REPLICA", "2", "DLB_REPLICA_NAME", "web-2", "DLB_HTTPD_WORKERS", "256", "DLB_ACCESS_LOG", "buffered"),
                web2.environment());
        assertEquals(Optional.empty(), web2.publish());
        assertEquals(Optional.of(new ContainerPlan.HostBinding("127.0.0.1", 0)), plan("balancer").publish());
        assertEquals("web-1,web-2,web-3", plan("balancer").environment().get("DLB_UPSTREAMS"));
    }

    @Test
    void ipHashAsksForEachReplicaByNameOnTheFixedPort() throws Exception {
        FakeProbe probe = FakeProbe.pinned("web-1", "web-2", "web-3");

        RunningStack stack = start(spec().replicas(3).strategy("ip-hash").port(8080), probe);

        assertEquals("http://127.0.0.1:8080/", stack.balancerUrl());
        assertEquals(List.of(URI.create("http://127.0.0.1:8080/dlb-replica/web-1/dlb-health"),
                URI.create("http://127.0.0.1:8080/dlb-replica/web-2/dlb-health"),
                URI.create("http://127.0.0.1:8080/dlb-replica/web-3/dlb-health"),
                URI.create("http://127.0.0.1:8080/dlb-balancer-rotation")), probe.asked());
    }

    @Test
    void replicaOutOfTheRotationIsNotReadyEvenThoughItAnswersByName() {
        FakeProbe probe = FakeProbe.roundRobin("web-1", "web-2", "web-3").outOfRotation("web-3");

        StackException e = assertThrows(StackException.class,
                () -> start(spec().replicas(3).readyTimeout(Duration.ofSeconds(5)), probe));

        assertTrue(e.getMessage().contains("within 5 s: web-3 not in the balancer's rotation"), e::getMessage);
        assertEquals(List.of(), engine.live());
    }

    @Test
    void engineRefusingAReplicaRemovesEverythingCreatedAndRethrows() {
        engine.refuseContainer("web-2").holdContainerUntilRemoval("web-3");

        EngineException e = assertThrows(EngineException.class,
                () -> start(spec().replicas(3), FakeProbe.roundRobin("web-1", "web-2", "web-3")));

        assertEquals("the engine refused dlb-shop-s1-web-2", e.getMessage());
        assertEquals(List.of(), engine.live());
        List<String> calls = engine.calls();
        List<String> afterCleanup = calls.subList(calls.indexOf(calls.stream().filter(c -> c.startsWith("remove")).findFirst()
                .orElseThrow()), calls.size());
        assertTrue(afterCleanup.stream().allMatch(c -> c.startsWith("remove")), "nothing created once cleanup began: " + calls);
    }

    @Test
    void aBalancerPublishedByAnEngineElsewhereIsReachedAtThatEnginesHost() throws Exception {
        FakeProbe probe = FakeProbe.roundRobin("web-1", "web-2", "web-3");

        RunningStack stack = start(spec().replicas(3).bindAddress("0.0.0.0").reach("engine.example", false), probe);

        assertEquals("http://engine.example:" + FakeEngine.FREE_PORT + "/", stack.balancerUrl());
        assertTrue(probe.asked().contains(URI.create("http://engine.example:" + FakeEngine.FREE_PORT + "/dlb-replica/web-1/dlb-health")),
                probe.asked()::toString);
        assertEquals(Optional.of(new ContainerPlan.HostBinding("0.0.0.0", 0)), plan("balancer").publish());
    }

    @Test
    void aFixedPortTakenOnThisMachineIsNoConcernOfAnEngineElsewhere() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RunningStack stack = start(spec().replicas(3).port(taken.getLocalPort()).reach("127.0.0.1", false),
                    FakeProbe.roundRobin("web-1", "web-2", "web-3"));

            assertEquals(taken.getLocalPort(), stack.balancerPort());
        }
    }

    @Test
    void anEngineThatCannotPublishTheBalancerNamesThePortAndLeavesNothing() {
        engine.refuseStart("balancer", "Status 500: driver failed programming external connectivity on endpoint dlb-shop-s1-balancer (9c): "
                + "Bind for 0.0.0.0:18080 failed: port is already allocated");

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> start(spec().replicas(3).bindAddress("0.0.0.0").port(18080)
                .reach("engine.example", false), FakeProbe.roundRobin("web-1", "web-2", "web-3")));

        assertEquals("<balancer><port>", e.problems().get(0).xmlPath());
        assertTrue(e.getMessage().contains("port is already allocated"), e::getMessage);
        assertEquals(List.of(), engine.live(), "the start removed what it created");
    }

    @Test
    void anEngineThatStopsAnsweringPartWayIsNotAskedToInspectOrRemoveAnything() {
        engine.silentFrom("web-2");

        EngineException e = assertThrows(EngineException.class,
                () -> start(spec().replicas(3), FakeProbe.roundRobin("web-1", "web-2", "web-3")));

        assertTrue(e.unanswered());
        // the replicas are created in parallel: whichever create was under way when it fell silent may be the one reported
        assertTrue(e.getMessage().matches("the engine did not answer: create container dlb-shop-s1-web-[123]"), e::getMessage);
        List<String> unanswered = engine.calls().stream().filter(c -> c.startsWith("unanswered ")).toList();
        assertTrue(unanswered.stream().allMatch(c -> c.startsWith("unanswered create container")),
                "once it stopped answering, nothing was inspected, listed or removed: " + engine.calls());
        assertTrue(engine.liveNames().containsAll(List.of("dlb-shop-s1", "dlb-shop-s1-web", "dlb-shop-web-data")),
                "left in place for stop: " + engine.liveNames());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Start failed, and the engine does not answer, so what this start created (")
                && l.endsWith("known) is neither inspected nor removed now: " + e.getMessage())), log::toString);
    }

    @Test
    void replicaNeverSeenTimesOutNamingItAndRemovesEverything() {
        StackException e = assertThrows(StackException.class,
                () -> start(spec().replicas(3).readyTimeout(Duration.ofSeconds(5)), FakeProbe.roundRobin("web-1", "web-3")));

        assertTrue(e.getMessage().contains("within 5 s: web-2 never seen through the balancer. Fix:"), e::getMessage);
        assertFalse(e.getMessage().contains("web-1") || e.getMessage().contains("web-3"), e::getMessage);
        assertTrue(time.elapsed().compareTo(Duration.ofSeconds(5)) >= 0, time.elapsed()::toString);
        assertTrue(time.elapsed().compareTo(Duration.ofMillis(5500)) <= 0, "gave up at the deadline: " + time.elapsed());
        assertEquals(List.of(), engine.live());
    }

    @Test
    void healthyReplicasThatTheBalancerNeverReachesAreSaidToBeCutOff() {
        StackException e = assertThrows(StackException.class,
                () -> start(spec().replicas(2).readyTimeout(Duration.ofSeconds(5)), FakeProbe.noneReachable()));

        assertTrue(e.getMessage().contains("web-1, web-2 never seen through the balancer. Every replica is healthy, yet none answered "
                + "through the balancer, so it cannot reach them"), e::getMessage);
        assertTrue(e.getMessage().contains("see the README's Podman section). Fix: read the diagnostics above"), e::getMessage);
    }

    /** nginx listens only a while after its start returned: asked again soon, without asking the engine each time. */
    @Test
    void aBalancerNotListeningYetIsAskedAgainSoonAndTheEngineOnlyAfterAPause() throws Exception {
        FakeProbe answering = FakeProbe.roundRobin("web-1", "web-2");
        int[] refused = {0};
        HttpProbe notListeningYet = uri -> refused[0]++ < 50 ? Optional.empty() : answering.get(uri);

        new StackStarter(engine, notListeningYet, time.pacer(), log::add).start(spec().replicas(2).stack(), "s1", Owners.me());

        assertEquals(Collections.nCopies(25, Readiness.POLL_REFUSED), time.sleeps(), "25 rounds of two refused requests");
        assertEquals(1 + 3 + 3, engine.inspected().size(), "once for the port, then the balancer and both replicas at 0 ms and at "
                + "260 ms, the first round after 250 ms: " + engine.inspected());
    }

    /** Once it answers, each round is a request per replica not seen yet: a few at the least pause. */
    @Test
    void aSmallStackIsAskedAgainAtTheLeastPause() {
        assertThrows(StackException.class, () -> start(spec().replicas(3).readyTimeout(Duration.ofSeconds(2)),
                FakeProbe.roundRobin("web-1", "web-3")));

        assertEquals(Set.of(Readiness.POLL_REFUSED), Set.copyOf(time.sleeps()), time.sleeps()::toString);
        assertEquals(100, time.sleeps().size(), "rounds at 0, 20, ..., 1980 ms, and the last at 2 s");
        long engineRounds = engine.inspected().stream().filter(n -> n.endsWith("web-2")).count();
        assertEquals(9 + 1, engineRounds, "web-2 inspected in the rounds at 0, 260, ..., 1820 ms (the first after each 250 ms "
                + "pause) and in the last, at 2 s; then once by the failed start's diagnostics");
    }

    /** Many requests a round, to replicas that may still be starting: the pause grows with them, so the rate stays bound. */
    @Test
    void aLargeStackIsAskedAtAPaceBoundByItsRequests() {
        assertThrows(StackException.class, () -> start(spec().replicas(20).readyTimeout(Duration.ofSeconds(2)),
                FakeProbe.roundRobin("web-1", "web-3")));

        List<Duration> sleeps = time.sleeps();
        assertEquals(Readiness.POLL_PER_REQUEST.multipliedBy(20), sleeps.get(0), "after the first round's 20 requests: " + sleeps);
        assertEquals(Set.of(Readiness.POLL_PER_REQUEST.multipliedBy(18)), Set.copyOf(sleeps.subList(1, sleeps.size())),
                "after each later round's 18: " + sleeps);
        long engineRounds = engine.inspected().stream().filter(n -> n.endsWith("web-2")).count();
        assertEquals(9 + 1, engineRounds, "web-2 inspected in the rounds at 0, 280, 550, ..., 1900 ms (the first after each 250 ms "
                + "pause) and in the last, past 2 s; then once by the failed start's diagnostics");
    }

    @Test
    void containerThatExitsFailsAtOnceNamingIt() {
        engine.containerStatus("web-2", "exited", 3);

        StackException e = assertThrows(StackException.class,
                () -> start(spec().replicas(3), FakeProbe.roundRobin("web-1", "web-3")));

        assertEquals("web-2 (dlb-shop-s1-web-2) is exited, exit code 3 before it was ready", e.getMessage());
        assertEquals(List.of("dlb-shop-s1-balancer", "dlb-shop-s1-web-2"), engine.inspected().subList(0, 2),
                "once for the balancer's port, then only the replica that did not answer");
        assertEquals(List.of(), time.sleeps(), "no waiting for a container that has ended");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("---- dlb-shop-s1-web-2: exited, exit code 3")), log::toString);
        assertEquals(List.of(), engine.live());
    }

    @Test
    void theGateIsPassedOnceTheChecksPassedAndBeforeAnythingIsCreated() {
        List<String> callsAtGate = new ArrayList<>();

        StackException e = assertThrows(StackException.class, () -> new StackStarter(engine, FakeProbe.roundRobin("web-1"), time.pacer(),
                log::add).start(spec().replicas(1).stack(), "s1", Owners.me(), () -> {
                    callsAtGate.addAll(engine.calls());
                    throw new StackException("the watchdog is not running");
                }));

        assertEquals("the watchdog is not running", e.getMessage());
        assertEquals(List.of("ping"), callsAtGate);
        assertTrue(engine.calls().stream().noneMatch(c -> c.startsWith("create")), engine.calls()::toString);
    }

    @Test
    void aFailedCheckNeverReachesTheGate() {
        engine = new FakeEngine().image(SpecBuilder.BALANCER_IMAGE, "sha256:balancer", Map.of());

        assertThrows(StackException.class, () -> new StackStarter(engine, FakeProbe.roundRobin("web-1"), time.pacer(), log::add)
                .start(spec().stack(), "s1", Owners.me(), () -> {
                    throw new AssertionError("the gate is passed only once every check passed");
                }));
    }

    @Test
    void missingWebImageFailsBeforeAnythingIsCreated() {
        engine = new FakeEngine().image(SpecBuilder.BALANCER_IMAGE, "sha256:balancer", Map.of());

        StackException e = assertThrows(StackException.class, () -> start(spec(), FakeProbe.roundRobin("web-1")));

        assertTrue(e.getMessage().contains("Image " + SpecBuilder.WEB_IMAGE + " (<web><image>) does not exist"), e::getMessage);
        assertTrue(e.getMessage().contains("Fix: "), e::getMessage);
        assertEquals(List.of("ping"), engine.calls());
    }

    @Test
    void missingBalancerImageFailsBeforeAnythingIsCreated() {
        engine = new FakeEngine().image(SpecBuilder.WEB_IMAGE, "sha256:web", Map.of());

        StackException e = assertThrows(StackException.class, () -> start(spec(), FakeProbe.roundRobin("web-1")));

        assertTrue(e.getMessage().contains("(<balancer><image>)"), e::getMessage);
        assertEquals(List.of("ping"), engine.calls());
    }

    @Test
    void containerNameTakenByAnotherToolFailsBeforeAnythingIsCreatedAndLeavesItAlone() {
        engine.foreignName("dlb-shop-s1-web-2");

        StackException e = assertThrows(StackException.class, () -> start(spec().replicas(3), FakeProbe.roundRobin("web-1")));

        assertTrue(e.getMessage().contains("Docker already has dlb-shop-s1-web-2, not made by this session"), e::getMessage);
        assertTrue(e.getMessage().contains("Fix: remove or rename it"), e::getMessage);
        assertEquals(List.of("ping"), engine.calls(), "nothing created, nothing removed");
    }

    @Test
    void volumeNameTakenByAnotherToolFailsBeforeAnythingIsCreatedAndLeavesItAlone() {
        engine.foreignName("dlb-shop-web-data");

        StackException e = assertThrows(StackException.class, () -> start(spec().replicas(3), FakeProbe.roundRobin("web-1")));

        assertTrue(e.getMessage().contains("Docker already has dlb-shop-web-data, not made by this session"), e::getMessage);
        assertEquals(List.of("ping"), engine.calls(), "nothing created, nothing removed");
    }

    @Test
    void theProjectsOwnKeptVolumeIsReused() throws Exception {
        engine.add(Resource.Kind.VOLUME, "dlb-shop-web-data", Map.of(Labels.PROJECT, SpecBuilder.PROJECT, Labels.ROLE, "web-data"));

        start(spec().replicas(1), FakeProbe.roundRobin("web-1"));

        assertTrue(engine.liveNames().contains("dlb-shop-s1-web-1"), engine.liveNames()::toString);
        assertEquals(1, engine.live().stream().filter(r -> r.name().equals("dlb-shop-web-data")).count());
    }

    /** Should another session's stop remove a volume before a container mounts it, the engine creates it again with these. */
    @Test
    void everyMountedVolumeCarriesTheProjectsLabels() throws Exception {
        start(spec().replicas(2), FakeProbe.roundRobin("web-1", "web-2"));

        assertEquals(List.of(new VolumeMount("dlb-shop-web-data", "/srv/dlb/shared", Map.of(Labels.PROJECT, SpecBuilder.PROJECT,
                Labels.ROLE, "web-data"))), plan("web-2").volumes());
        assertEquals(List.of(new VolumeMount("dlb-shop-balancer-data", "/srv/dlb/balancer", Map.of(Labels.PROJECT, SpecBuilder.PROJECT,
                Labels.ROLE, "balancer-data"))), plan("balancer").volumes());
    }

    private RunningStack start(SpecBuilder b, FakeProbe probe) throws Exception {
        return new StackStarter(engine, probe, time.pacer(), log::add).start(b.stack(), "s1", Owners.me());
    }

    private ContainerPlan plan(String hostname) {
        return engine.plans().stream().filter(p -> p.hostname().equals(hostname)).findFirst().orElseThrow();
    }
}
