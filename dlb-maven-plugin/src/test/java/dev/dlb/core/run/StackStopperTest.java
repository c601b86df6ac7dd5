package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.Resource.Kind;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.Owners;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StackStopperTest {

    private static final String OTHER_PROJECT = "dev.dlb.test:other";

    private final FakeEngine engine = new FakeEngine();
    private final List<String> log = new ArrayList<>();
    private final StackStopper stopper = new StackStopper(engine, log::add);

    @BeforeEach
    void setUp() {
        Ownership me = Owners.me();
        engine.addContainer("s1-web-1", Labels.of(PROJECT, "s1", "web", me), "web-data");
        engine.addContainer("s1-web-2", Labels.of(PROJECT, "s1", "web", me), "web-data");
        engine.addContainer("s1-balancer", Labels.of(PROJECT, "s1", "balancer", me), "balancer-data");
        engine.add(Kind.NETWORK, "s1", Labels.of(PROJECT, "s1", "network", me));
        engine.add(Kind.VOLUME, "web-data", Map.of(Labels.PROJECT, PROJECT, Labels.ROLE, "web-data"));
        engine.add(Kind.VOLUME, "balancer-data", Map.of(Labels.PROJECT, PROJECT, Labels.ROLE, "balancer-data"));
        engine.addContainer("s2-web-1", Labels.of(PROJECT, "s2", "web", me), "web-data");
        engine.add(Kind.CONTAINER, "other-web-1", Labels.of(OTHER_PROJECT, "s1", "web", me));
        engine.add(Kind.VOLUME, "other-data", Map.of(Labels.PROJECT, OTHER_PROJECT));
    }

    @Test
    void removesContainersThenNetworksAndVolumes() throws Exception {
        stopper.stopSession(PROJECT, "s2", true);
        int before = engine.calls().size();

        List<Resource> removed = stopper.stopSession(PROJECT, "s1", false);

        assertEquals(List.of("balancer-data", "s1", "s1-balancer", "s1-web-1", "s1-web-2", "web-data"),
                removed.stream().map(Resource::name).sorted().toList());
        List<String> removals = engine.calls().subList(before, engine.calls().size()).stream()
                .filter(c -> c.startsWith("remove ")).map(c -> c.split(" ")[1]).toList();
        assertEquals(List.of("container", "container", "container"), removals.subList(0, 3));
        assertEquals(List.of("network", "volume", "volume"), removals.subList(3, removals.size()).stream().sorted().toList());
        assertEquals(List.of("other-data", "other-web-1"), engine.liveNames());
        assertTrue(engine.calls().stream().noneMatch(c -> c.startsWith("stop ")), "killed as they are removed: " + engine.calls());
    }

    @Test
    void withAStopTimeoutEachContainerIsAskedToEndBeforeItIsRemoved() throws Exception {
        new StackStopper(engine, Duration.ofSeconds(2), log::add).stopSession(PROJECT, "s1", false);

        List<String> calls = engine.calls();
        for (String container : List.of("s1-web-1", "s1-web-2", "s1-balancer")) {
            int stop = calls.indexOf("stop " + container + " within 2000 ms");
            assertTrue(stop >= 0 && stop < calls.indexOf("remove container " + container), calls::toString);
        }
        assertEquals(3, calls.stream().filter(c -> c.startsWith("stop ")).count(), "networks and volumes are not stopped: " + calls);
    }

    /** The engine refuses to remove a volume a container still mounts; one no container uses goes. */
    @Test
    void removalsTheEngineLeftUnansweredFailTheRemovalOnceTheRestWereTried() throws Exception {
        List<Resource> session = engine.list(Labels.session(PROJECT, "s1"));
        engine.silent(true);

        EngineException e = assertThrows(EngineException.class, () -> stopper.remove(session));

        assertTrue(e.unanswered());
        assertTrue(e.getMessage().startsWith("4 of the resources were not removed: the engine did not answer: remove "), e::getMessage);
        assertEquals(4, log.stream().filter(l -> l.startsWith("Could not remove ")).count(), "each was tried: " + log);
    }

    @Test
    void aVolumeStaysWhileAnotherSessionOfTheProjectUsesIt() throws Exception {
        List<Resource> removed = stopper.stopSession(PROJECT, "s1", false);

        assertEquals(List.of("other-data", "other-web-1", "s2-web-1", "web-data"), engine.liveNames());
        assertTrue(log.contains("Kept volume web-data: a container of another session still uses it"), log::toString);
        assertTrue(removed.stream().anyMatch(r -> r.name().equals("balancer-data")), removed::toString);
        assertFalse(removed.stream().anyMatch(r -> r.name().equals("web-data")), removed::toString);
    }

    /** Two sessions stopping at once: whichever removes its volumes last, after the other's containers went, removes them. */
    @Test
    void theLastOfTwoSessionsToStopRemovesTheVolumes() throws Exception {
        stopper.stopSession(PROJECT, "s1", false);
        stopper.stopSession(PROJECT, "s2", false);

        assertEquals(List.of("other-data", "other-web-1"), engine.liveNames());
    }

    @Test
    void keepVolumesKeepsTheVolumes() throws Exception {
        stopper.stopSession(PROJECT, "s1", true);

        assertEquals(List.of("balancer-data", "other-data", "other-web-1", "s2-web-1", "web-data"), engine.liveNames());
    }

    @Test
    void stoppingTwiceRemovesNothingTheSecondTime() throws Exception {
        stopper.stopSession(PROJECT, "s1", false);
        List<String> callsAfterFirst = engine.calls();

        assertEquals(List.of(), stopper.stopSession(PROJECT, "s1", false));
        assertEquals(callsAfterFirst.stream().filter(c -> c.startsWith("remove ")).toList(),
                engine.calls().stream().filter(c -> c.startsWith("remove ")).toList(), "no removal the second time");
        assertEquals(List.of("other-data", "other-web-1", "s2-web-1", "web-data"), engine.liveNames());
    }

    @Test
    void stopAllRemovesEverySessionOfTheProjectOnly() throws Exception {
        stopper.stopAll(PROJECT, false);

        assertEquals(List.of("other-data", "other-web-1"), engine.liveNames());
        assertTrue(log.contains("Removed container s2-web-1"), log::toString);
    }

    /** A failed start passes what it created plus what the engine lists by label: the same resources, other label maps. */
    @Test
    void theSameResourceListedTwiceWithOtherLabelsIsRemovedOnce() throws Exception {
        List<Resource> found = engine.list(Labels.session(PROJECT, "s1"));
        List<Resource> twice = new ArrayList<>(found);
        found.forEach(r -> twice.add(new Resource(r.kind(), r.id(), r.name(), Map.of(Labels.PROJECT, PROJECT))));

        List<Resource> removed = stopper.remove(twice);

        assertEquals(found.size(), removed.size(), removed::toString);
        assertEquals(found.size(), engine.calls().stream().filter(c -> c.startsWith("remove ")).count(), engine.calls()::toString);
        assertTrue(log.stream().noneMatch(l -> l.startsWith("Could not remove")), log::toString);
    }
}
