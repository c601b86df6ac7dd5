package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.spec.BalancerTuning;
import dev.dlb.core.spec.HealthCheck;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import dev.dlb.core.swarm.SwarmTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The images' entrypoints run for real, read-only as the stack runs them, on no network at all: what real
 * confd rendered from the templates is compared with golden files under
 * src/test/resources/golden/started/ ({@code -Dgolden.update=true} rewrites them; review the diff), and
 * nginx and httpd accept it ({@code nginx -t}, {@code httpd -t}). The balancer's replicas are names in
 * its /etc/hosts only, so its probes never leave the container.
 */
class EntrypointIT {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/started");
    private static final List<String> CREATED = new ArrayList<>();
    private static StackSpec spec;

    @BeforeAll
    static void images() throws Exception {
        spec = RealStack.spec("entrypoints");
        try (ContainerEngine engine = RealStack.engine()) {
            RealStack.buildImages(engine, spec);
        }
    }

    @AfterAll
    static void removeContainers() throws Exception {
        for (String container : CREATED) {
            DockerCli.run("rm", "-f", container);
        }
    }

    @Test
    void balancerWithTheDefaults() throws Exception {
        balancer("balancer-defaults", spec, List.of("web-1:10.0.0.2", "web-2:10.0.0.3", "web-3:10.0.0.4"),
                "web-1 10.0.0.2 up\nweb-2 10.0.0.3 up\nweb-3 10.0.0.4 up\n");
    }

    @Test
    void balancerWithIpHashNoRetriesTheSettingsOfBeforeAndAReplicaThatDoesNotResolve() throws Exception {
        StackSpec tuned = RealStack.asBeforeTheFix(RealStack.spec("entrypoints", 3, "ip-hash", false));
        balancer("balancer-ip-hash-legacy-gone", tuned, List.of("web-1:10.0.0.2", "web-2:10.0.0.3"),
                "web-1 10.0.0.2 up\nweb-2 10.0.0.3 up\nweb-3 - gone\n");
    }

    @Test
    void balancerWithLeastConnectionsAndLongTimeouts() throws Exception {
        StackSpec slow = RealStack.spec("entrypoints", 2, "least-connections", true);
        slow = slow.withBalancer(slow.balancer().withTuning(new BalancerTuning("500ms", "2m", 0, "10s", 2048, 32),
                new HealthCheck(true, "500ms", "1s", 3)));
        balancer("balancer-least-connections-slow", slow, List.of("web-1:10.0.0.2", "web-2:10.0.0.3"),
                "web-1 10.0.0.2 up\nweb-2 10.0.0.3 up\n");
    }

    @Test
    void balancerDiscoveringTheTasksOfASwarmService() throws Exception {
        balancer("balancer-discovers-tasks", SwarmTopology.balancerEnvironment(spec), List.of("tasks.web:10.0.0.2", "tasks.web:10.0.0.3"),
                "task-10-0-0-2 10.0.0.2 up\ntask-10-0-0-3 10.0.0.3 up\n");
    }

    @Test
    void balancerDiscoveringBeforeAnyTaskResolvesStartsAndAnswers502() throws Exception {
        String container = balancer("balancer-discovers-no-task-yet", SwarmTopology.balancerEnvironment(spec), List.of(), "tasks.web - gone\n");
        assertEquals("502", exec(container, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1/"));
    }

    @Test
    void webReplicaWithItsWorkers() throws Exception {
        web("web-workers", 256, "/etc/dlb/httpd-dlb.conf", "/usr/local/apache2/htdocs/index.html", "/usr/local/apache2/htdocs/dlb-health");
    }

    @Test
    void webReplicaWithTheBaseImagesOwnSettings() throws Exception {
        web("web-base-settings", 0, "/etc/dlb/httpd-dlb.conf");
    }

    private static void balancer(String name, StackSpec stack, List<String> hosts, String rotation) throws Exception {
        balancer(name, Topology.balancerEnvironment(stack), hosts, rotation);
    }

    private static String balancer(String name, Map<String, String> environment, List<String> hosts, String rotation) throws Exception {
        Map<String, String> env = new TreeMap<>(environment);
        env.put("DLB_WORKER_PROCESSES", "2");
        List<String> options = new ArrayList<>();
        hosts.forEach(h -> options.addAll(List.of("--add-host", h)));
        String container = run(name, spec.balancer().image(), env, Topology.BALANCER_TMPFS, options);
        awaitFile(container, "/tmp/dlb-nginx.pid");
        golden(name, "nginx.conf", cat(container, "/etc/nginx/nginx.conf"));
        golden(name, "dlb-back.conf", cat(container, "/etc/nginx/dlb-back.conf"));
        exec(container, "nginx", "-t", "-q");
        exec(container, "nginx", "-t", "-q", "-c", "/etc/nginx/dlb-back.conf");
        assertEquals(rotation, exec(container, "curl", "-fsS", "http://127.0.0.1/dlb-balancer-rotation"), "what the front serves");
        assertEquals("ok\n", exec(container, "curl", "-fsS", "http://127.0.0.1/dlb-balancer-health"));
        return container;
    }

    private static void web(String name, int workers, String... files) throws Exception {
        Map<String, String> env = new TreeMap<>(Topology.webEnvironment(spec.web().withWorkers(workers), 2));
        env.put("GREETING", "hello");
        String container = run(name, spec.web().image(), env, Topology.WEB_TMPFS, List.of());
        for (String file : files) {
            awaitFile(container, file);
            golden(name, Path.of(file).getFileName().toString(), cat(container, file));
        }
        assertTrue(exec(container, "httpd", "-t", "-c", "Include /etc/dlb/httpd-dlb.conf").contains("Syntax OK"));
    }

    /** Starts the image's own entrypoint with a read-only root, the stack's tmpfs mounts and no network. */
    private static String run(String name, String image, Map<String, String> env, Map<String, String> tmpfs, List<String> options)
            throws Exception {
        String container = "dlb-entrypoint-it-" + name + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container, "--network", "none", "--read-only",
                "--label", "dev.dlb.test=entrypoints"));
        tmpfs.forEach((path, size) -> args.addAll(List.of("--tmpfs", path + ":size=" + size)));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(options);
        args.add(image);
        CREATED.add(container);
        DockerCli.run(args.toArray(String[]::new)).requireSuccess("docker run " + name);
        return container;
    }

    private static void awaitFile(String container, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (DockerCli.run("exec", container, "test", "-s", path).exitCode() != 0) {
            assertTrue(System.nanoTime() < deadline, container + " never wrote " + path + "; its log:\n"
                    + DockerCli.run("logs", container).output());
            Thread.sleep(100);
        }
    }

    private static String cat(String container, String file) throws Exception {
        return exec(container, "cat", file);
    }

    private static String exec(String container, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("exec", container));
        args.addAll(List.of(command));
        return DockerCli.run(Duration.ofSeconds(30), args.toArray(String[]::new)).requireSuccess(String.join(" ", command)).output();
    }

    private static void golden(String name, String file, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name).resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertTrue(Files.isRegularFile(golden), golden + " is missing; run once with -Dgolden.update=true and review it");
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, name + ": " + file);
    }
}
