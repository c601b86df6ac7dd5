package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineEndpoint;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineTimeouts;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ServicePlan;
import dev.dlb.core.engine.ServiceState;
import dev.dlb.core.engine.SwarmNode;
import dev.dlb.core.engine.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine seam's Swarm calls against a real 3-node swarm ({@link SwarmCluster}): an image tagged and pushed to
 * the swarm's registry through the manager, a labelled overlay network and a dnsrr service of 3 replicas whose
 * environment is a Swarm template, its tasks with their slots spread over the nodes, a rolling update that changes
 * the service's version, and removal by label that leaves nothing on any node.
 */
class SwarmEngineIT {

    private static final Map<String, String> LABELS = Map.of("dev.dlb.project", "dev.dlb.system:swarm-engine");
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final ServicePlan.Hardening HARDENING = new ServicePlan.Hardening(false, List.of("ALL"),
            dev.dlb.core.spec.Topology.CAPABILITIES, dev.dlb.core.spec.Topology.OPEN_FILES);

    private static SwarmCluster swarm;
    private static ContainerEngine engine;

    @BeforeAll
    static void aSwarmOfThreeNodes() throws Exception {
        swarm = SwarmCluster.form(System.getProperty("dlb.swarm.prefix", "dlb-swarm") + "-engine", 3, RealStack.property("dlb.standin.dind"), RealStack.property("dlb.standin.registry"));
        swarm.manager().load(RealStack.property("dlb.standin.httpd"));
        engine = DockerJavaEngine.connect(new EngineEndpoint(java.net.URI.create(swarm.manager().host()), Optional.empty(), "the swarm test"), EngineTimeouts.DEFAULT);
    }

    @AfterAll
    static void removeTheSwarm() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (swarm != null) {
            swarm.close();
        }
    }

    @Test
    void servicesArePushedCreatedSpreadUpdatedAndRemovedByLabel() throws Exception {
        assertEquals(3, engine.nodes().stream().filter(n -> n.state().equals("ready")).count(), "three ready nodes: " + engine.nodes());
        String image = swarm.registry() + "/dlb/swarm-engine-web:1";
        engine.tagImage(RealStack.property("dlb.standin.httpd"), image);
        List<String> progress = new ArrayList<>();
        engine.pushImage(image, Optional.empty(), progress::add);
        assertTrue(progress.stream().anyMatch(l -> l.contains("digest")), "the push reports its digest: " + progress);

        engine.createOverlayNetwork("swarmB-engine-net", LABELS, false);
        ServicePlan plan = new ServicePlan("swarmB-engine-web", image, LABELS, 3, Optional.of("web-{{.Task.Slot}}"), Map.of("DLB_REPLICA_NAME", "web-{{.Task.Slot}}"),
                List.of("swarmB-engine-net"), "web", true, Optional.empty(), List.of(), Map.of("/tmp", 1L << 20), HARDENING, List.of(),
                new ServicePlan.Resources(128L << 20, 0, 200), Duration.ofSeconds(10),
                new ServicePlan.UpdatePolicy(1, Duration.ZERO, true, "rollback", Duration.ofSeconds(2)),
                new ServicePlan.UpdatePolicy(1, Duration.ZERO, true, "pause", Duration.ofSeconds(2)));
        String id = engine.createService(plan, Optional.empty());
        List<TaskState> tasks = awaitRunning(id, 3);
        assertEquals(Set.of(1, 2, 3), tasks.stream().map(TaskState::slot).collect(Collectors.toSet()), "one task per slot: " + tasks);
        Set<String> nodes = tasks.stream().map(TaskState::nodeId).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(nodes.size() >= 2, "tasks on at least two nodes: " + tasks);
        String names = swarm.manager().docker("service", "inspect", "--format", "{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{.}}{{end}}",
                "swarmB-engine-web").requireSuccess("docker service inspect").output().strip();
        assertEquals("DLB_REPLICA_NAME=web-{{.Task.Slot}}", names, "the template reaches the engine unfilled");
        assertHardened();

        ServiceState before = engine.inspectService("swarmB-engine-web").orElseThrow();
        assertEquals(3, before.replicas());
        engine.updateService(id, before.version(), plan.withReplicas(2), Optional.empty());
        ServiceState after = engine.inspectService(id).orElseThrow();
        assertTrue(after.version() > before.version(), "an update makes a new version");
        assertEquals(2, after.replicas());
        assertThrows(EngineException.class, () -> engine.updateService(id, before.version(), plan, Optional.empty()),
                "an update naming an old version is refused");

        List<Resource> labelled = engine.listSwarm(LABELS);
        assertEquals(List.of("service swarmB-engine-web"), labelled.stream().map(Resource::toString).toList());
        for (Resource r : labelled) {
            engine.remove(r);
        }
        engine.list(LABELS).forEach(r -> {
            try {
                engine.remove(r);
            } catch (EngineException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(), engine.listSwarm(LABELS), "no service left");
        assertEquals(Optional.empty(), engine.inspectService(id));
        assertEquals(List.of(), awaitNoneLabelled(), "no network left");
    }

    @Test
    void aNodeThatIsNoManagerIsNamedWithTheFix() throws Exception {
        try (ContainerEngine worker = DockerJavaEngine.connect(new EngineEndpoint(java.net.URI.create(swarm.workers().get(0).host()), Optional.empty(), "the swarm test"), EngineTimeouts.DEFAULT)) {
            EngineException e = assertThrows(EngineException.class, worker::nodes);
            assertTrue(e.getMessage().contains("is no manager of a swarm") && e.getMessage().contains("docker swarm init"), e.getMessage());
        }
        List<SwarmNode> nodes = engine.nodes();
        assertEquals(1, nodes.stream().filter(n -> n.role().equals("manager")).count(), "one manager: " + nodes);
    }

    /**
     * What docker-java's model has no field for reaches the service and, through Swarm, every task's container: every
     * capability dropped but the kept ones, the open-file limit and the pids limit.
     */
    private static void assertHardened() throws Exception {
        String hardening = "{{json .CapDrop}} {{json .CapAdd}} {{json .Ulimits}} {{.PidsLimit}}";
        String service = swarm.manager().docker("service", "inspect", "--format", "{{with .Spec.TaskTemplate.ContainerSpec}}{{json .CapabilityDrop}} "
                + "{{json .CapabilityAdd}} {{json .Ulimits}} {{end}}{{.Spec.TaskTemplate.Resources.Limits.Pids}}", "swarmB-engine-web").requireSuccess("docker service inspect").output().strip();
        String kept = "[\"CAP_CHOWN\",\"CAP_SETUID\",\"CAP_SETGID\",\"CAP_NET_BIND_SERVICE\",\"CAP_KILL\"]";
        String files = "[{\"Name\":\"nofile\",\"Hard\":16384,\"Soft\":16384}]";
        assertEquals("[\"ALL\"] " + kept + " " + files + " 200", service, "the service's specification");
        List<String> containers = new ArrayList<>();
        for (InnerEngine node : swarm.nodes()) {
            String ids = node.docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=swarmB-engine-web").requireSuccess("docker ps")
                    .output().strip();
            for (String id : ids.lines().filter(l -> !l.isBlank()).toList()) {
                containers.add(node.docker("inspect", "--format", "{{with .HostConfig}}" + hardening + "{{end}}", id).requireSuccess("docker inspect")
                        .output().strip());
            }
        }
        assertEquals(3, containers.size(), "a container per task: " + containers);
        containers.forEach(c -> assertEquals("[\"ALL\"] " + kept + " " + files + " 200", c, "a task's container"));
    }

    /** The manager takes an overlay network away a moment after its removal was accepted. */
    private static List<Resource> awaitNoneLabelled() throws Exception {
        List<Resource> left = engine.list(LABELS);
        for (int attempt = 0; attempt < 30 && !left.isEmpty(); attempt++) {
            Thread.sleep(1000);
            left = engine.list(LABELS);
        }
        return left;
    }

    private static List<TaskState> awaitRunning(String service, int count) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        List<TaskState> running = List.of();
        while (System.nanoTime() < deadline) {
            running = engine.listTasks(service).stream().filter(TaskState::running).toList();
            if (running.size() == count) {
                return running;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(count + " tasks not running within " + CONVERGE.toSeconds() + " s: " + engine.listTasks(service));
    }
}
