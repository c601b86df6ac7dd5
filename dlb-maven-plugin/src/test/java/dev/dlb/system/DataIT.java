package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.run.StackStopper;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared web volume: a file one replica writes is seen by the others; with keep-volumes it
 * survives a stop and the next session's replicas see it; without, a stop leaves nothing at all.
 */
class DataIT {

    private static final String PROBE = Topology.WEB_DATA_MOUNT + "/probe.txt";

    @Test
    void sharedVolumeIsSharedAndKeptAcrossSessionsOnlyWhenAskedTo() throws Exception {
        StackSpec spec = RealStack.keepingVolumes(RealStack.spec("data-shared"));
        String token = "dlb-data-" + UUID.randomUUID();
        StackNames first = StackNames.of(spec, "data0001");
        StackNames second = StackNames.of(spec, "data0002");
        try (ContainerEngine engine = RealStack.engine()) {
            RealStack.removeAll(engine, spec.projectId()); // a volume from an aborted earlier run would prove nothing
            StackStopper stopper = new StackStopper(engine, System.out::println);
            try {
                RealStack.start(engine, spec, first.session());
                DockerCli.sh(first.replica(1), "printf '%s' '" + token + "' > " + PROBE).requireSuccess("write on web-1");
                assertEquals(token, read(first.replica(2)), "web-2 sees what web-1 wrote");
                assertEquals(token, read(first.replica(3)), "web-3 sees what web-1 wrote");

                stopper.stopSession(spec.projectId(), first.session(), true);
                List<Resource> kept = RealStack.leftovers(engine, spec.projectId());
                assertEquals(List.of(first.balancerVolume(), first.webVolume()), kept.stream().map(Resource::name).sorted().toList(),
                        "only the volumes are left: " + kept);
                assertTrue(kept.stream().allMatch(r -> r.kind() == Resource.Kind.VOLUME), kept::toString);
                assertTrue(DockerCli.exists("volume", first.webVolume()));

                RealStack.start(engine, spec, second.session());
                assertEquals(token, read(second.replica(2)), "the next session's web-2 sees the kept file");

                stopper.stopSession(spec.projectId(), second.session(), false);
                assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()), "a stop without keep-volumes leaves nothing");
                assertFalse(DockerCli.exists("volume", first.webVolume()), "the shared volume is gone");
            } finally {
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    private static String read(String container) throws Exception {
        return DockerCli.run("exec", container, "cat", PROBE).requireSuccess("read on " + container).output();
    }
}
