package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import dev.dlb.core.swarm.SwarmTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * target/dlb/docker-stack.yml as render-config writes it, deployed by the docker CLI alone ({@code docker stack deploy -c})
 * on a single-node swarm: a Docker engine in a container ({@link InnerEngine}, so that the machine's own engine never
 * becomes a swarm), with the images loaded into it. The balancer is published in mode host on the one port the engine's
 * container publishes on 127.0.0.1. Every replica answers through it with its slot's identity; the web service scaled
 * 3 to 5 to 2, then updated (a new environment value: every task replaced, the new one first) under a bounded
 * concurrent load of GETs loses none; {@code docker stack rm}, then the removal of the stack's
 * volumes (which stack rm keeps, as the README says), leaves nothing in that engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackFileIT {

    private static final String NAME = "stackfile";
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final Path DEBIAN_CLI = Path.of("/usr/bin/docker");
    private static final Pattern PAGE = Pattern.compile("<h1>server (\\d+)</h1>");

    private static InnerEngine inner;
    private static StackSpec spec;
    private static URI balancer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void aSingleNodeSwarmInAnEngineInAContainerWithTheImages() throws Exception {
        inner = InnerEngine.start(NAME + "-" + System.getProperty("dlb.systemtest.tag", "latest") + "-dind", RealStack.property("dlb.standin.dind"));
        inner.docker("swarm", "init", "--advertise-addr", "127.0.0.1", "--default-addr-pool", "10.232.0.0/16").requireSuccess("docker swarm init");
        StackSpec plain = RealStack.spec(NAME);
        spec = plain.withBalancer(plain.balancer().withPort(inner.publishedPort));
        try (ContainerEngine engine = RealStack.engine()) {
            RealStack.buildImages(engine, spec); // renders docker-stack.yml too
        }
        inner.load(spec.web().image(), spec.balancer().image());
        balancer = URI.create("http://127.0.0.1:" + inner.publishedPort + "/");
    }

    @AfterAll
    static void removeTheEngine() throws Exception {
        if (inner != null) {
            inner.close(); // the swarm, its services, networks and volumes go with it, even after a failure
        }
    }

    @Test
    @Order(1)
    void everyReplicaAnswersThroughThePublishedPortWithItsSlotsIdentity() throws Exception {
        Path file = spec.outputDirectory().resolve(StackRenderer.STACK_FILE);
        // Debian's docker 20.10 CLI where it is installed (it knows compose 3.0 to 3.9 only), else the one on the PATH
        String cli = Files.isExecutable(DEBIAN_CLI) ? DEBIAN_CLI.toString() : "docker";
        Commands.Result deploy = Commands.run(Duration.ofSeconds(60), List.of(cli, "-H", inner.host(), "stack", "deploy", "--resolve-image", "never",
                "-c", file.toString(), NAME));
        assertEquals(0, deploy.exitCode(), deploy.output());
        assertFalse(deploy.output().contains("Ignoring unsupported options"), "every option in the file is honoured: " + deploy.output());
        String version = Commands.run(Duration.ofSeconds(10), List.of(cli, "version", "--format", "{{.Client.Version}}")).output().strip();

        double ready = awaitRotation(3);
        Set<Integer> slots = runningSlots();
        assertEquals(Set.of(1, 2, 3), slots);
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> answer = get(balancer);
            assertEquals(200, answer.statusCode(), answer.body());
            String replica = answer.headers().firstValue(Topology.REPLICA_HEADER).orElse("");
            Matcher page = PAGE.matcher(answer.body());
            assertTrue(page.find(), answer.body());
            assertEquals(replica, "web-" + page.group(1), "the page and the header name one task");
            seen.add(replica);
        }
        assertHardenedAsTheContainersOfStart();
        System.out.printf("StackFileIT: deployed by docker %s; 3 tasks in the balancer's rotation %.1f s after docker stack deploy; answered: %s%n",
                version, ready, seen);
        assertEquals(Set.of("web-1", "web-2", "web-3"), seen, "server N from every slot, round-robin");
    }

    @Test
    @Order(2)
    void scalingThreeToFiveToTwoAndARollingUpdateUnderLoadLoseNoGet() throws Exception {
        String web = inner.docker("service", "ls", "-q", "--filter", "name=" + NAME + "_" + SwarmTopology.WEB).requireSuccess("service ls").output().strip();
        assertTrue(!web.isEmpty(), "the web service runs");
        List<String> steps = new ArrayList<>();
        LoadRun.Report report = new LoadRun(8, Duration.ofSeconds(5)).run(balancer, 9000, Duration.ofSeconds(90), Duration.ofSeconds(180),
                () -> {
                    steps.add(scale(5));
                    steps.add(scale(2));
                    steps.add(update());
                });

        long failed = report.count(r -> !r.ok());
        String firstFailures = report.results().stream().filter(r -> !r.ok()).limit(5)
                .map(r -> r.status() + " " + r.replica() + " " + r.error()).collect(Collectors.joining("; "));
        Set<String> during = report.results().stream().filter(r -> r.sent() > report.faultStart() && r.sent() < report.faultEnd())
                .map(LoadRun.Result::replica).collect(Collectors.toCollection(TreeSet::new));
        Set<String> after = report.sentAfter(report.faultEnd() + 3_000_000_000L).stream().map(LoadRun.Result::replica)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> running = runningSlots().stream().map(Topology::replicaName).collect(Collectors.toCollection(TreeSet::new));
        System.out.printf("StackFileIT: %d GETs, %d failed, %s; %s; replicas answering while scaling and updating %s, after %s (running %s)%n",
                report.results().size(), failed, report.latencies(), String.join(", ", steps), during, after, running);

        assertEquals(0, failed, "failed GETs while scaling: " + firstFailures);
        assertTrue(report.faultEnd() < report.end() - 5_000_000_000L, "the load outlasted the scaling by 5 s at least");
        assertTrue(during.containsAll(Set.of("web-4", "web-5")), "the new tasks took requests: " + during);
        assertEquals(2, running.size());
        assertEquals(running, after, "after the scale down only the running tasks answer");
    }

    @Test
    @Order(3)
    void stackRmAndTheStackVolumesLeaveNothing() throws Exception {
        inner.docker("stack", "rm", NAME).requireSuccess("docker stack rm");
        String namespace = "label=com.docker.stack.namespace=" + NAME;
        long begun = System.nanoTime();
        while (!list("ps", "-aq", "--filter", namespace).isEmpty() || !list("network", "ls", "-q", "--filter", namespace).isEmpty()) {
            assertTrue(System.nanoTime() - begun < CONVERGE.toNanos(), "docker stack rm left " + leftovers());
            Thread.sleep(250);
        }
        double gone = (System.nanoTime() - begun) / 1e9;
        List<String> volumes = list("volume", "ls", "-q", "--filter", namespace);
        assertEquals(List.of(NAME + "_" + SwarmTopology.BALANCER_VOLUME, NAME + "_" + SwarmTopology.WEB_VOLUME), volumes.stream().sorted().toList(),
                "stack rm keeps the stack's volumes");
        List<String> rm = new ArrayList<>(List.of("volume", "rm"));
        rm.addAll(volumes);
        inner.docker(rm.toArray(String[]::new)).requireSuccess("docker volume rm");

        System.out.printf("StackFileIT: containers and networks gone %.1f s after docker stack rm%n", gone);
        assertEquals(List.of(), leftovers());
        assertEquals(List.of(), inner.leftovers(spec.projectId()), "nothing of the project, by label or name, in the engine");
    }

    /**
     * What the 20.10 CLI makes of cap_drop, cap_add, ulimits and deploy.resources.limits.pids (compose 3.9): the
     * service carries them and so does every task's container, as the containers of dlb:start are hardened.
     */
    private void assertHardenedAsTheContainersOfStart() throws Exception {
        List<String> kept = Topology.CAPABILITIES.stream().map(c -> "CAP_" + c).sorted().toList();
        String files = "[{\"Name\":\"nofile\",\"Hard\":" + Topology.OPEN_FILES + ",\"Soft\":" + Topology.OPEN_FILES + "}]";
        for (String service : List.of(SwarmTopology.WEB, SwarmTopology.BALANCER)) {
            long pids = service.equals(SwarmTopology.WEB) ? spec.web().limits().pids() : spec.balancer().limits().pids();
            String expected = "[\"ALL\"] " + kept.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(",", "[", "]")) + " " + files
                    + " " + pids + " true";
            String inspected = inner.docker("service", "inspect", "--format", "{{with .Spec.TaskTemplate}}{{json .ContainerSpec.CapabilityDrop}} "
                    + "{{json .ContainerSpec.CapabilityAdd}} {{json .ContainerSpec.Ulimits}} {{.Resources.Limits.Pids}} {{.ContainerSpec.ReadOnly}}{{end}}",
                    NAME + "_" + service).requireSuccess("docker service inspect").output().strip();
            assertEquals(expected, inspected, "service " + service);
            for (String id : list("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + NAME + "_" + service)) {
                String container = inner.docker("inspect", "--format", "{{with .HostConfig}}{{json .CapDrop}} {{json .CapAdd}} {{json .Ulimits}} "
                        + "{{.PidsLimit}} {{.ReadonlyRootfs}}{{end}}", id).requireSuccess("docker inspect").output().strip();
                assertEquals(expected, container, "a task container of " + service);
            }
        }
    }

    /** Scales the web service and waits until the balancer's rotation holds exactly that many tasks, all up. */
    private String scale(int replicas) throws Exception {
        long begun = System.nanoTime();
        inner.docker("service", "scale", "--detach", NAME + "_" + SwarmTopology.WEB + "=" + replicas).requireSuccess("docker service scale");
        awaitRotation(replicas);
        return String.format("%d tasks in the rotation %.1f s after the scale", replicas, (System.nanoTime() - begun) / 1e9);
    }

    /** Adds an environment value to the web service and waits until Swarm says the update completed and the rotation holds only new tasks. */
    private String update() throws Exception {
        long begun = System.nanoTime();
        Set<String> before = rotation();
        inner.docker("service", "update", "--detach", "--env-add", "GREETING=updated", NAME + "_" + SwarmTopology.WEB)
                .requireSuccess("docker service update");
        String state = "";
        while (System.nanoTime() - begun < CONVERGE.toNanos()) {
            state = inner.docker("service", "inspect", "--format", "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}",
                    NAME + "_" + SwarmTopology.WEB).requireSuccess("service inspect").output().strip();
            Set<String> now = rotation();
            if (state.equals("completed") && now.size() == 2 && now.stream().noneMatch(before::contains)) {
                return String.format("update completed, every task replaced, %.1f s after it began", (System.nanoTime() - begun) / 1e9);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the update did not complete within " + CONVERGE.toSeconds() + " s: " + state + "; rotation " + rotation()
                + "; tasks: " + inner.docker("service", "ps", NAME + "_" + SwarmTopology.WEB).output());
    }

    /** The tasks the rotation holds up. */
    private Set<String> rotation() throws Exception {
        return get(balancer.resolve(Topology.ROTATION_PATH)).body().lines().filter(l -> l.endsWith(" up")).map(l -> l.split(" ")[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Seconds until the rotation lists exactly {@code tasks} tasks, all up, and the service runs that many. */
    private double awaitRotation(int tasks) throws Exception {
        long begun = System.nanoTime();
        String rotation = "";
        while (System.nanoTime() - begun < CONVERGE.toNanos()) {
            try {
                rotation = get(balancer.resolve(Topology.ROTATION_PATH)).body();
            } catch (java.io.IOException e) {
                rotation = e.toString(); // the balancer is still starting
            }
            List<String> lines = rotation.lines().toList();
            if (lines.size() == tasks && lines.stream().allMatch(l -> l.startsWith("task-") && l.endsWith(" up"))
                    && runningSlots().size() == tasks) {
                return (System.nanoTime() - begun) / 1e9;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the rotation did not hold " + tasks + " tasks within " + CONVERGE.toSeconds() + " s: " + rotation
                + "; tasks: " + inner.docker("service", "ps", NAME + "_" + SwarmTopology.WEB).output());
    }

    /** The slots of the web tasks that run, from the engine. */
    private Set<Integer> runningSlots() throws Exception {
        return list("service", "ps", "--filter", "desired-state=running", "--format", "{{.Name}} {{.CurrentState}}",
                NAME + "_" + SwarmTopology.WEB).stream()
                .filter(l -> l.contains(" Running"))
                .map(l -> l.substring(0, l.indexOf(' ')))
                .map(name -> Integer.parseInt(name.substring(name.lastIndexOf('.') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<String> leftovers() throws Exception {
        List<String> found = new ArrayList<>();
        found.addAll(list("service", "ls", "-q"));
        found.addAll(list("ps", "-aq"));
        found.addAll(list("config", "ls", "-q"));
        found.addAll(list("secret", "ls", "-q"));
        found.addAll(list("volume", "ls", "-q"));
        found.addAll(list("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + NAME));
        return found;
    }

    private List<String> list(String... args) throws Exception {
        return inner.docker(args).requireSuccess("docker " + String.join(" ", args)).output().lines().filter(l -> !l.isBlank()).toList();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
