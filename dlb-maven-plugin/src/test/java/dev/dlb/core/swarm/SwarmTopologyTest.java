package dev.dlb.core.swarm;

import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.SwarmSpec;
import dev.dlb.core.spec.Topology;
import dev.dlb.core.swarm.SwarmStack.HealthProbe;
import dev.dlb.core.swarm.SwarmStack.Mount;
import dev.dlb.core.swarm.SwarmStack.MountType;
import dev.dlb.core.swarm.SwarmStack.Port;
import dev.dlb.core.swarm.SwarmStack.Service;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SwarmTopologyTest {

    private static final SwarmSpec PLACED = new SwarmSpec(List.of("node.labels.tier==web"), List.of("node.hostname==edge"), 2, "3s",
            "start-first", "vieux/sshfs");

    @Test
    void theWebTierIsOneServiceWhoseTasksTakeTheirIdentityFromTheirSlot() {
        StackSpec spec = spec().replicas(5).env("GREETING", "hello").workers(64).webLimits("256m", 512).stack();

        Service web = SwarmTopology.of(spec).service("web");

        assertEquals(5, web.replicas());
        assertEquals("dnsrr", web.endpointMode(), "a virtual IP does not route on every engine; the balancer resolves tasks.web");
        assertEquals(Optional.of("web-{{.Task.Slot}}"), web.hostname());
        SortedMap<String, String> env = new TreeMap<>(Map.of("GREETING", "hello", "DLB_REPLICA", "{{.Task.Slot}}",
                "DLB_REPLICA_NAME", "web-{{.Task.Slot}}", "DLB_HTTPD_WORKERS", "64"));
        assertEquals(env, web.environment());
        assertEquals(List.of("dlb-web"), web.networks(), "the web tier is reached only through the balancer");
        assertEquals(256L << 20, web.resources().memoryBytes());
        assertEquals(512, web.resources().pids());
        assertEquals("any", web.restart().condition());
        assertTrue(web.ports().isEmpty());
        assertTrue(web.hardening().readOnlyRoot());
        assertEquals(List.of("ALL"), web.hardening().capDrop());
        assertEquals(Topology.CAPABILITIES, web.hardening().capAdd());
    }

    @Test
    void aTasksIdentityIsTheContainersOfTheSameNumber() {
        StackSpec spec = spec().replicas(3).stack();
        for (int n = 1; n <= 3; n++) {
            SortedMap<String, String> containers = Topology.webEnvironment(spec.web(), n);
            String slot = Integer.toString(n);
            SortedMap<String, String> task = new TreeMap<>();
            SwarmTopology.webEnvironment(spec).forEach((k, v) -> task.put(k, v.replace(SwarmTopology.SLOT, slot)));
            assertEquals(containers, task);
        }
    }

    @Test
    void updatesStartTheNewTaskFirstAndRollBackOnFailure() {
        Service web = SwarmTopology.of(spec().stack()).service("web");

        assertEquals(1, web.update().parallelism());
        assertEquals(Duration.ofSeconds(1), web.update().delay());
        assertEquals("start-first", web.update().order());
        assertEquals("rollback", web.update().failureAction());
        assertEquals("start-first", web.rollback().order());
        assertTrue(web.placement().isEmpty());
    }

    @Test
    void swarmSettingsReachTheServicesAndVolumes() {
        SwarmStack stack = SwarmTopology.of(spec().swarm(PLACED).stack());

        assertEquals(List.of("node.labels.tier==web"), stack.service("web").placement());
        assertEquals(2, stack.service("web").update().parallelism());
        assertEquals(Duration.ofSeconds(3), stack.service("web").update().delay());
        assertEquals(List.of("node.hostname==edge"), stack.service("balancer").placement());
        stack.volumes().forEach(v -> assertEquals("vieux/sshfs", v.driver(), v.name()));
    }

    @Test
    void theBalancerIsOneTaskPublishedOnItsNodeThatDiscoversTheWebTasks() {
        StackSpec spec = spec().port(8080).strategy("least-connections").stack();

        Service balancer = SwarmTopology.of(spec).service("balancer");

        assertEquals(1, balancer.replicas());
        assertEquals(List.of(new Port(80, 8080, "tcp", "host")), balancer.ports(), "ingress publishing does not answer on every engine");
        assertEquals("tasks.web", balancer.environment().get("DLB_DISCOVER"));
        assertFalse(balancer.environment().containsKey("DLB_UPSTREAMS"), "tasks come and go: no fixed list");
        SortedMap<String, String> rest = new TreeMap<>(balancer.environment());
        rest.remove("DLB_DISCOVER");
        SortedMap<String, String> containers = new TreeMap<>(Topology.balancerEnvironment(spec));
        containers.remove("DLB_UPSTREAMS");
        assertEquals(containers, rest, "the same tuning as the containers' balancer");
        assertEquals(List.of("dlb", "dlb-web"), balancer.networks());
        assertEquals("stop-first", balancer.update().order(), "a second task could not bind the node's port");
        assertEquals(List.of("node.role==manager"), balancer.placement());
        assertEquals(128L << 20, balancer.resources().memoryBytes());
    }

    @Test
    void theWebNetworkIsInternalAndEveryResourceIsLabelled() {
        SwarmStack stack = SwarmTopology.of(spec().stack());

        assertEquals("shop", stack.namespace());
        assertEquals("shop_web", stack.qualified("web"));
        assertEquals(List.of("dlb", "dlb-web"), stack.networks().stream().map(SwarmStack.Network::name).toList());
        stack.networks().forEach(n -> {
            assertEquals("overlay", n.driver());
            assertTrue(n.attachable());
            assertEquals(n.name().equals("dlb-web"), n.internal(), n.name());
            assertEquals("dev.dlb.test:shop", n.labels().get("dev.dlb.project"));
            assertEquals("shop", n.labels().get("dev.dlb.stack"));
            assertEquals("shop", n.labels().get("com.docker.stack.namespace"), "a stack to docker stack ls and rm, however it was made");
        });
        stack.volumes().forEach(v -> assertEquals("local", v.driver(), "one per node by default"));
        stack.services().forEach(s -> assertEquals(s.name(), s.labels().get("dev.dlb.role")));
    }

    @Test
    void mountsAreTheContainersVolumeAndTmpfsMounts() {
        Service web = SwarmTopology.of(spec().stack()).service("web");

        assertEquals(new Mount(MountType.VOLUME, "web-data", Topology.WEB_DATA_MOUNT, 0), web.mounts().get(0));
        assertEquals(Topology.WEB_TMPFS.keySet().stream().toList(), web.mounts().stream().skip(1).map(Mount::target).toList());
        assertTrue(web.mounts().contains(new Mount(MountType.TMPFS, "", "/usr/local/apache2/htdocs", 128L << 20)));
    }

    @Test
    void perReplicaEnvironmentIsNotCarriedAndTheStackSaysSo() {
        assertTrue(SwarmTopology.of(spec().stack()).notes().isEmpty());

        List<String> notes = SwarmTopology.of(spec().replicaEnv(2, "COLOR", "red").stack()).notes();

        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("<web><replicaEnvironments>") && notes.get(0).contains("[2]"), notes.get(0));
    }

    @ParameterizedTest
    @CsvSource({"10.0.1.5, task-10-0-1-5", "[fd00::7], task-fd00--7", "fd00::7, task-fd00--7"})
    void aDiscoveredTaskIsNamedAfterItsAddress(String address, String name) {
        assertEquals(name, SwarmTopology.taskName(address));
    }

    @ParameterizedTest
    @CsvSource({"web, /dlb-health", "balancer, /dlb-balancer-health"})
    void healthChecksAreTheImagesOwn(String role, String path) {
        Matcher m = Pattern.compile("HEALTHCHECK --interval=(\\d+)s --timeout=(\\d+)s --start-period=(\\d+)s --retries=(\\d+) CMD (\\[.*])")
                .matcher(dockerfile(role));
        assertTrue(m.find(), role + "/Dockerfile has a HEALTHCHECK");
        HealthProbe probe = SwarmTopology.of(spec().stack()).service(role).healthCheck();

        assertEquals(new HealthProbe(List.of("CMD", "/usr/local/bin/dlb-healthcheck.sh", path), Duration.ofSeconds(Long.parseLong(m.group(1))),
                Duration.ofSeconds(Long.parseLong(m.group(2))), Integer.parseInt(m.group(4)), Duration.ofSeconds(Long.parseLong(m.group(3)))), probe);
        assertEquals("[\"/usr/local/bin/dlb-healthcheck.sh\", \"" + path + "\"]", m.group(5));
    }

    private static String dockerfile(String role) {
        try (InputStream in = SwarmTopologyTest.class.getResourceAsStream("/dev/dlb/core/render/" + role + "/Dockerfile")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
