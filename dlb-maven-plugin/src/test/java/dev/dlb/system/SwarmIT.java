package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The stack deployed to a swarm of three nodes with {@code mvn dlb:deploy}, as a user runs it ({@link ChildMaven}):
 * Docker engines in containers ({@link SwarmCluster}), a registry from Debian's docker-registry that the images go
 * through, which asks for the credentials of the settings.xml server named after it, the manager reached over {@code tcp://127.0.0.1:PORT}, the balancer published in mode host on the port
 * the manager's container publishes on 127.0.0.1. Replicas spread over the nodes, and every slot answers
 * {@code server N} through that port. Under a bounded concurrent GET load, scale 3 -> 6 -> 2 and a rolling update of
 * an environment value (each a redeploy), then one worker's engine killed: no GET fails. {@code dlb:undeploy} leaves
 * no service, task container or network on any node that lives; the swarm, its volumes, network and registry go
 * at the end, whatever happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmIT {

    private static final String NAME = "swarm-deploy";
    private static final String PREFIX = System.getProperty("dlb.swarm.prefix", "dlb-swarm");
    private static final Duration GOAL = Duration.ofMinutes(6);
    /** After a node is lost: Swarm notices it and starts its tasks elsewhere, the balancer follows. */
    private static final Duration AFTER_NODE_LOSS = Duration.ofSeconds(45);
    private static final Duration LOAD_LIMIT = Duration.ofMinutes(20);
    private static final int LOAD_CLIENTS = 4;
    private static final int LOAD_MAX_REQUESTS = 200_000;

    private static SwarmCluster swarm;
    private static Path project;
    private static URI balancer;
    private static Path settings;
    private static final SwarmCluster.Credentials REGISTRY_USER = new SwarmCluster.Credentials("dlb-ci", "s3cret-" + System.nanoTime());
    private static final List<ChildJvm> goals = new ArrayList<>();

    @BeforeAll
    static void aSwarmOfThreeNodesWithItsRegistry() throws Exception {
        swarm = SwarmCluster.withStandins(PREFIX, 3, REGISTRY_USER);
        project = ChildMaven.project(NAME);
        Path pom = project.resolve("pom.xml");
        // a value of the web tier's environment that a redeploy changes: a rolling update
        Files.writeString(pom, Files.readString(pom)
                .replace("<engines.hold></engines.hold>", "<engines.hold></engines.hold>\n    <greeting>hello</greeting>")
                .replace("<replicas>3</replicas>", "<replicas>3</replicas>\n            <environment><GREETING>${greeting}</GREETING></environment>"));
        balancer = URI.create("http://127.0.0.1:" + swarm.manager().publishedPort + "/");
        // the registry's credentials, the usual Maven way: the settings.xml server whose id is the registry
        settings = swarm.settings(project, REGISTRY_USER.user(), REGISTRY_USER.password());
    }

    @AfterAll
    static void removeTheSwarm() throws Exception {
        SwarmCluster.closeAfter(goals, swarm);
    }

    @Test
    @Order(1)
    void deployRunsTheReplicasOnSeveralNodesAndEverySlotAnswersThroughThePublishedPort() throws Exception {
        ChildJvm deploy = goal("deploy", List.of());
        assertTrue(deploy.saw(l -> l.contains("dlb: 3 replicas answering through " + balancer)), "deploy proved every slot through " + balancer);
        assertTrue(deploy.saw(l -> l.contains("dlb: pushing " + swarm.registry() + "/dlb/" + NAME + "-web:1.0 as " + REGISTRY_USER.user())),
                "pushed with the settings.xml credentials");
        DockerCli.Result anonymous = swarm.manager().docker("pull", swarm.registry() + "/dlb/" + NAME + "-web:1.0");
        assertTrue(anonymous.exitCode() != 0 && anonymous.output().toLowerCase(java.util.Locale.ROOT).contains("auth"),
                "the registry refuses whoever has no credentials: " + anonymous.output());

        Set<String> nodes = new TreeSet<>(webTasks("{{.Node}}"));
        assertTrue(nodes.size() >= 2, "web tasks on at least two nodes: " + nodes);
        assertEquals(Set.of("server 1", "server 2", "server 3"), servers(3), "every slot answers through " + balancer);
    }

    @Test
    @Order(2)
    void scaleRollingUpdateAndTheLossOfAWorkerFailNoGet() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<LoadRun.Result> results = new ConcurrentLinkedQueue<>();
        LoadRun load = new LoadRun(LOAD_CLIENTS, Duration.ofSeconds(10));
        ExecutorService clients = Executors.newFixedThreadPool(LOAD_CLIENTS);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < LOAD_CLIENTS; c++) {
            running.add(clients.submit(() -> {
                long limit = start + LOAD_LIMIT.toNanos();
                while (!stop.get() && System.nanoTime() < limit && results.size() < LOAD_MAX_REQUESTS) {
                    results.add(load.get(balancer));
                    Thread.sleep(20);
                }
                return null;
            }));
        }
        long faultStart = System.nanoTime();
        try {
            Thread.sleep(3000);
            goal("scale-to-6", List.of("-Ddlb.web.replicas=6"));
            assertEquals(6, webTasks("{{.Name}}").size(), "six web tasks run");
            goal("scale-to-2", List.of("-Ddlb.web.replicas=2"));
            List<String> before = webTasks("{{.ID}}");
            goal("greeting", List.of("-Ddlb.web.replicas=2", "-Dgreeting=bonjour"));
            assertTrue(serviceEnvironment().contains("GREETING=bonjour"), "the new value reached the service: " + serviceEnvironment());
            List<String> after = webTasks("{{.ID}}");
            assertTrue(after.stream().noneMatch(before::contains), "the update replaced every task: " + before + " -> " + after);
            killAWorkerRunningAWebTask();
            Thread.sleep(AFTER_NODE_LOSS.toMillis());
        } finally {
            stop.set(true);
            for (Future<?> client : running) {
                client.get(1, TimeUnit.MINUTES);
            }
            clients.shutdownNow();
        }
        LoadRun.Report report = new LoadRun.Report(List.copyOf(results), start, System.nanoTime(), faultStart, System.nanoTime());
        System.out.println("SWARM-LOAD " + report.results().size() + " GETs, " + report.count(r -> !r.ok()) + " failed, " + report.latencies());
        assertEquals(List.of(), report.results().stream().filter(r -> !r.ok()).limit(10).map(r -> r.status() + " " + r.error()).toList(),
                "no GET failed while scaling, updating and losing a worker");
        assertEquals(Set.of("server 1", "server 2"), servers(2), "both slots answer after the node loss");
    }

    @Test
    @Order(3)
    void undeployLeavesNothingOnAnyLiveNode() throws Exception {
        assertTrue(goal("undeploy", List.of()).saw(l -> l.contains("dlb: undeployed")), "undeploy says what it removed");
        assertEquals("", swarm.manager().docker("service", "ls", "-q").requireSuccess("docker service ls").output().strip(), "no service");
        for (InnerEngine node : liveNodes()) {
            assertEquals("", awaitNoContainers(node), "no task container left on " + node.container);
            assertEquals(List.of(), node.docker("network", "ls", "--filter", "label=dev.dlb.project=" + RealStack.projectId(NAME),
                    "--format", "{{.Name}}").requireSuccess("docker network ls").output().lines().toList(), "no network left on " + node.container);
        }
    }

    private static ChildJvm goal(String run, List<String> properties) throws Exception {
        List<String> args = new ArrayList<>(List.of(run.equals("undeploy") ? "dlb:undeploy" : "dlb:deploy", "-s", settings.toString(),
                "-Ddlb.registry=" + swarm.registry(),
                "-Ddlb.balancer.port=" + swarm.manager().publishedPort, "-Ddlb.balancer.host=127.0.0.1", "-Ddlb.readyTimeout=180"));
        args.addAll(properties);
        ChildJvm goal = ChildMaven.start(NAME + "-" + run, project, Map.of("DOCKER_HOST", swarm.manager().host()), args);
        goals.add(goal);
        assertEquals(0, goal.awaitExit(GOAL), "mvn " + String.join(" ", args) + " passes");
        return goal;
    }

    /** A field of every running web task, as docker service ps formats it. */
    private static List<String> webTasks(String format) throws Exception {
        return swarm.manager().docker("service", "ps", "--filter", "desired-state=running", "--format", format, NAME + "_web")
                .requireSuccess("docker service ps").output().lines().filter(l -> !l.isBlank()).toList();
    }

    private static String serviceEnvironment() throws Exception {
        return swarm.manager().docker("service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", NAME + "_web")
                .requireSuccess("docker service inspect").output();
    }

    /** The pages of up to 20 GETs per slot through the balancer, until {@code replicas} different ones were seen. */
    private static Set<String> servers(int replicas) {
        LoadRun load = new LoadRun(1, Duration.ofSeconds(10));
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < replicas * 20 && seen.size() < replicas; i++) {
            LoadRun.Result r = load.get(balancer);
            if (r.ok()) {
                seen.add("server " + r.replica().substring("web-".length()));
            }
        }
        return seen;
    }

    private static final List<InnerEngine> killed = new ArrayList<>();

    /** A worker (never the manager, whose port the balancer is published on) that runs a web task. */
    private static void killAWorkerRunningAWebTask() throws Exception {
        Set<String> webNodes = webTasks("{{.Node}}").stream().collect(Collectors.toSet());
        InnerEngine victim = swarm.workers().stream().filter(w -> webNodes.contains(w.container)).findFirst()
                .orElseThrow(() -> new AssertionError("no worker runs a web task: " + webNodes));
        swarm.kill(victim);
        killed.add(victim);
        System.out.println("SWARM-KILLED " + victim.container + " (web tasks were on " + webNodes + ")");
    }

    private static List<InnerEngine> liveNodes() {
        return swarm.nodes().stream().filter(n -> !killed.contains(n)).toList();
    }

    /** A node removes the containers of removed tasks a moment after the manager forgot them; bounded wait. */
    private static String awaitNoContainers(InnerEngine node) throws Exception {
        String left = "";
        for (int attempt = 0; attempt < 30; attempt++) {
            left = node.docker("ps", "-a", "--format", "{{.Names}}").requireSuccess("docker ps").output().strip();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(1000);
        }
        return left;
    }
}
