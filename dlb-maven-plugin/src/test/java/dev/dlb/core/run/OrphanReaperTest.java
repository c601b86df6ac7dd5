package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.PROJECT;
import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.Resource.Kind;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.FakeProbe;
import dev.dlb.core.testing.FakeTime;
import dev.dlb.core.testing.Owners;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reaper runs at the start of every start: what earlier sessions of the project survive it. */
class OrphanReaperTest {

    private final FakeEngine engine = FakeEngine.withStackImages();
    private final List<String> log = new ArrayList<>();
    private final Owner me = Owner.current();

    @Test
    void removesSessionsOfGoneOwnersAndKeptSessionsOnly() throws Exception {
        session(PROJECT, "dead", Owners.gone(), false);
        session(PROJECT, "kept", me, true);
        session(PROJECT, "live", me, false);
        session(PROJECT, "remote", new Owner("some-other-host", Owners.gone().pid(), "2020-01-01T00:00:00Z"), false);
        session("dev.dlb.test:other", "foreign", Owners.gone(), false);
        engine.add(Kind.VOLUME, "dlb-shop-web-data", Map.of(Labels.PROJECT, PROJECT, Labels.ROLE, "web-data"));

        new StackStarter(engine, FakeProbe.roundRobin("web-1"), new FakeTime().pacer(), log::add)
                .start(spec().replicas(1).stack(), "new", me, false);

        assertEquals(List.of("dlb-shop-balancer-data", "dlb-shop-new", "dlb-shop-new-balancer", "dlb-shop-new-web", "dlb-shop-new-web-1", "dlb-shop-web-data",
                "foreign", "foreign-web-1", "live", "live-web-1", "remote", "remote-web-1"), engine.liveNames());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Removing session dead of " + PROJECT)), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Removing session kept of " + PROJECT)), log::toString);
    }

    private void session(String project, String session, Owner owner, boolean keep) {
        engine.add(Kind.CONTAINER, session + "-web-1", Labels.of(project, session, "web", owner, keep));
        engine.add(Kind.NETWORK, session, Labels.of(project, session, "network", owner, keep));
    }
}
