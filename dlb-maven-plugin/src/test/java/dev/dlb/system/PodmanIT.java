package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.render.OutputTree;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.run.ImageBuilder;
import dev.dlb.core.run.ImageBuilder.ImageRequest;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Labels;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.SessionStop;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.run.StackSession;
import dev.dlb.core.run.StackSession.Lifetime;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole lifecycle against Podman's Docker-compatible API (Debian's podman 4.3, served by scripts/env/podman.sh at
 * {@link PodmanCli#SOCKET}), with DOCKER_HOST naming it as a user would: images built there, an attended session
 * started as the start goal starts it (with its watchdog), GETs through the balancer answered round-robin by every
 * replica, a replica paused with {@code podman pause} taken out of the rotation by the balancer's watcher and back in,
 * a replica whose httpd was killed restarted by Podman, stop leaving nothing; then a build killed with kill -9 once its
 * stack is up, whose watchdog leaves nothing within {@link #BUDGET}. What Podman holds is checked through the podman CLI,
 * not through the plugin's adapter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodmanIT {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final Duration CHILD_STEP = Duration.ofSeconds(240);
    /** The watcher takes a hung replica out within failures x (interval + timeout), about 6 s; room for a loaded machine. */
    private static final Duration ROTATION_CHANGE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Pattern OPEN_FILES = Pattern.compile("Max open files\\s+(\\d+)\\s+\\1\\s");
    private static final Pattern WATCHDOG_LINE = Pattern.compile("^Watchdog (\\d+) removes session (\\S+) if this process ends before stop");

    private static EngineSettings settings;
    private static ContainerEngine podman;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> projects = new ArrayList<>();
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<ProcessHandle> watchdogs = new ArrayList<>();
    private final List<String> paused = new ArrayList<>();

    @BeforeAll
    static void podmanAnswersAndHoldsTheBaseImages() throws Exception {
        DockerCli.Result version = DockerCli.run("-H", PodmanCli.SOCKET, "version", "--format", "{{range .Server.Components}}{{.Name}};{{end}}");
        assertTrue(version.exitCode() == 0 && version.output().contains("Podman Engine;"), "Podman's Docker API must answer at "
                + PodmanCli.SOCKET + " (scripts/env/podman.sh installs and starts it): " + version.output());
        for (String base : List.of("dlb.standin.httpd", "dlb.standin.nginx")) {
            PodmanCli.loadFromDocker(System.getProperty(base));
        }
        Properties system = new Properties();
        system.setProperty("DOCKER_HOST", PodmanCli.SOCKET);
        settings = EngineSettings.of(Map.of(), system, new Properties());
        podman = DockerJavaEngine.connect(settings);
        podman.ping();
    }

    @AfterAll
    static void close() {
        if (podman != null) {
            podman.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String container : paused) {
            PodmanCli.run("unpause", container);
        }
        for (ChildJvm child : children) {
            child.kill();
        }
        for (ProcessHandle watchdog : watchdogs) {
            watchdog.destroyForcibly();
        }
        for (String projectId : projects) {
            RealStack.removeAll(podman, projectId);
        }
    }

    @Test
    @Order(1)
    void theLifecycleRunsOnPodmanAndStopLeavesNothing() throws Exception {
        StackSpec spec = begin("podman-lifecycle");
        buildsImagesOnPodman(spec);
        List<String> log = new ArrayList<>();
        RunningStack stack = new StackSession(podman, settings, new JdkHttpProbe(), Pacer.system(), line -> {
            log.add(line);
            System.out.println("    [start] " + line);
        }).start(spec, Lifetime.ATTENDED, Path.of(System.getProperty("user.dir")));
        ProcessHandle watchdog = watchdog(log.stream().filter(l -> WATCHDOG_LINE.matcher(l).find()).findFirst().orElseThrow());
        StackNames names = StackNames.of(spec, stack.session());
        URI balancer = URI.create(stack.balancerUrl());

        assertEquals("127.0.0.1", balancer.getHost());
        assertHealthyAsPodmanSaysAndWritableOnlyWherePromised(spec, names);
        assertEquals(List.of("web-1", "web-2", "web-3"), stack.replicas());
        assertRoundRobin(balancer, stack.replicas());
        pausedReplicaLeavesTheRotationAndComesBack(balancer, names.replica(2), "web-2");
        killedReplicaIsRestartedByPodman(balancer, names.replica(3), "web-3");

        Optional<List<Resource>> removed = new SessionStop(podman, System.out::println, System.out::println)
                .stop(new SessionStop.Request(spec.projectId(), spec.outputDirectory(), Optional.empty(), false, false));
        assertTrue(removed.isPresent() && removed.get().size() == 8, "stop removed 4 containers, 2 networks, 2 volumes: " + removed);
        assertEquals(List.of(), podmanLeftovers(spec), "stop leaves nothing in Podman");
        awaitEnd(watchdog, Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void aBuildKilledWithItsStackUpLeavesNothingOnceItsWatchdogActs() throws Exception {
        StackSpec spec = begin("podman-kill9");
        ChildJvm child = ChildJvm.launch(spec.name(), childProperties(), StackChild.class, spec.name(), "its-running");
        children.add(child);
        Matcher line = WATCHDOG_LINE.matcher(child.await(l -> WATCHDOG_LINE.matcher(l).find(), "the watchdog runs", CHILD_STEP));
        assertTrue(line.find());
        ProcessHandle watchdog = watchdog(line.group());
        String session = line.group(2);
        child.await(l -> l.startsWith("STACK-UP"), "the stack is up", CHILD_STEP);
        String running = PodmanCli.output("container", "ls", "--filter", "label=" + Labels.SESSION + "=" + session, "--format", "{{.Names}}");
        assertEquals(4, running.lines().count(), "the child's stack runs in Podman: " + running);

        child.process.destroyForcibly();
        long killedAt = System.nanoTime();
        assertEquals(128 + 9, child.awaitExit(Duration.ofSeconds(20)), "kill -9");

        Duration zero = awaitNoLeftovers(spec, killedAt);
        awaitEnd(watchdog, BUDGET);
        String watchdogLog = Files.readString(new RunFiles(spec.outputDirectory()).watchdogLog(session));
        assertTrue(watchdogLog.contains("engine {DOCKER_HOST=" + PodmanCli.SOCKET + "}"), "the watchdog was given Podman: " + watchdogLog);
        assertTrue(watchdogLog.contains("session " + session + ": OWNER_GONE"), watchdogLog);
        System.out.printf(Locale.ROOT, "PodmanIT: nothing of the killed build left in Podman %.1f s after kill -9%n", zero.toMillis() / 1000.0);
    }

    /** build-images on Podman: built there from the rendered contexts, labelled, and skipped when nothing changed. */
    private static void buildsImagesOnPodman(StackSpec spec) throws Exception {
        PodmanCli.run("rmi", "--force", spec.web().image(), spec.balancer().image());
        new OutputTree(spec.outputDirectory()).write(new StackRenderer().render(spec, RealStack.confdBinary()));
        ImageBuilder builder = new ImageBuilder(podman, false, line -> System.out.println("    [build] " + line));
        Map<String, ImageRequest> images = Map.of(
                StackRenderer.WEB, new ImageRequest(spec.web().image(), spec.web().baseImage(), "<web><baseImage>", spec.projectId()),
                StackRenderer.BALANCER, new ImageRequest(spec.balancer().image(), spec.balancer().baseImage(), "<balancer><baseImage>",
                        spec.projectId()));
        for (Map.Entry<String, ImageRequest> image : images.entrySet()) {
            Path context = spec.outputDirectory().resolve(image.getKey());
            String tag = image.getValue().tag();
            assertTrue(builder.build(context, image.getValue()).built(), "built on Podman: " + tag);
            assertFalse(builder.build(context, image.getValue()).built(), "a second build of the same context is skipped: " + tag);
            assertEquals(spec.projectId(), PodmanCli.output("image", "inspect", "--format", "{{index .Labels \"" + Labels.PROJECT + "\"}}",
                    tag), "Podman holds " + tag + " with its labels");
        }
    }

    /**
     * Podman's own health record (which it keeps only when asked to run the check), capabilities, open files, memory and
     * pid limits as promised, and the read-only root with its tmpfs.
     */
    private static void assertHealthyAsPodmanSaysAndWritableOnlyWherePromised(StackSpec spec, StackNames names) throws Exception {
        String capabilities = String.join(" ", Topology.CAPABILITIES.stream().map(c -> "CAP_" + c).sorted().toList());
        List<String> containers = List.of(names.replica(1), names.replica(2), names.replica(3), names.container(Topology.BALANCER));
        // readiness asks the balancer, not the checks, and Podman runs one only when asked: the first may have run before httpd listened
        for (String container : containers) {
            PodmanCli.run("healthcheck", "run", container);
        }
        for (String container : containers) {
            assertEquals("healthy", PodmanCli.output("inspect", "--format", "{{.State.Health.Status}}", container), container);
            assertEquals("[" + capabilities + "]", PodmanCli.output("inspect", "--format", "{{.EffectiveCaps}}", container), container);
            Matcher files = OPEN_FILES.matcher(PodmanCli.output("exec", container, "cat", "/proc/1/limits"));
            assertTrue(files.find() && Long.parseLong(files.group(1)) == Topology.OPEN_FILES, container + ": " + files);
        }
        String web = names.replica(1);
        String balancer = names.container(Topology.BALANCER);
        assertEquals(spec.web().limits().memoryBytes().orElseThrow() + " " + spec.web().limits().pids(),
                PodmanCli.output("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}", web), "memory and pid limits");
        assertEquals("ok", PodmanCli.output("exec", web, "sh", "-c", "touch /tmp/ok /usr/local/apache2/htdocs/ok && echo ok"));
        Map<String, List<String>> readOnly = Map.of(web, List.of("/var/tmp/x", "/usr/x"), balancer, List.of("/var/tmp/x", "/run/x"));
        for (Map.Entry<String, List<String>> container : readOnly.entrySet()) {
            for (String file : container.getValue()) {
                Commands.Result touch = PodmanCli.run("exec", container.getKey(), "touch", file);
                assertTrue(touch.exitCode() != 0 && touch.output().contains("Read-only file system"),
                        file + " must not be writable in " + container.getKey() + ": " + touch.output());
            }
        }
        assertEquals(Labels.PROJECT + "=" + spec.projectId(), PodmanCli.output("volume", "inspect", "--format",
                Labels.PROJECT + "={{index .Labels \"" + Labels.PROJECT + "\"}}", names.webVolume()), "the shared volume is labelled");
    }

    private void assertRoundRobin(URI balancer, List<String> replicas) throws Exception {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3 * replicas.size(); i++) {
            order.add(replicaAnswering(balancer));
        }
        assertEquals(new HashSet<>(replicas), new HashSet<>(order), "every replica answered: " + order);
        for (int start = 0; start + replicas.size() <= order.size(); start++) {
            assertEquals(replicas.size(), new HashSet<>(order.subList(start, start + replicas.size())).size(),
                    "round robin: any " + replicas.size() + " consecutive answers come from different replicas, got " + order);
        }
    }

    private void pausedReplicaLeavesTheRotationAndComesBack(URI balancer, String container, String replica) throws Exception {
        PodmanCli.output("pause", container);
        paused.add(container);
        await(() -> rotation(balancer).contains(replica + " down"), replica + " leaves the rotation once paused", ROTATION_CHANGE);
        for (int i = 0; i < 6; i++) {
            assertFalse(replicaAnswering(balancer).equals(replica), "a paused replica answers no GET");
        }
        PodmanCli.output("unpause", container);
        paused.remove(container);
        await(() -> rotation(balancer).contains(replica + " up"), replica + " is back in the rotation once resumed", ROTATION_CHANGE);
        await(() -> replicaAnswering(balancer).equals(replica), replica + " answers through the balancer again", ROTATION_CHANGE);
    }

    /** The replica's httpd killed from the host (as a crash would end it): Podman restarts it, and it answers again. */
    private void killedReplicaIsRestartedByPodman(URI balancer, String container, String replica) throws Exception {
        String pid = PodmanCli.output("inspect", "--format", "{{.State.Pid}}", container);
        Commands.run(Duration.ofSeconds(10), List.of("kill", "-KILL", pid)).requireSuccess();
        await(() -> restarts(container) > 0, container + " is restarted by its restart policy", ROTATION_CHANGE);
        await(() -> replicaAnswering(balancer).equals(replica), replica + " answers through the balancer after its restart", ROTATION_CHANGE);
    }

    private static int restarts(String container) {
        try {
            return Integer.parseInt(PodmanCli.output("inspect", "--format", "{{.RestartCount}}", container));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The replica that answered a GET of / (200, else the test fails). */
    private String replicaAnswering(URI balancer) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(balancer).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), "GET " + balancer);
            return answer.headers().firstValue(Topology.REPLICA_HEADER).orElseThrow();
        } catch (java.io.IOException e) {
            throw new AssertionError("GET " + balancer + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The rotation as NAME STATE lines (the address left out). */
    private String rotation(URI balancer) {
        try {
            String body = http.send(HttpRequest.newBuilder(balancer.resolve(Topology.ROTATION_PATH)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return String.join("\n", body.lines().map(l -> l.strip().split("\\s+")).filter(f -> f.length == 3)
                    .map(f -> f[0] + " " + f[2]).toList());
        } catch (java.io.IOException e) {
            return "(no answer: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The case's project, with nothing of it in Podman and no session files of an earlier run. */
    private StackSpec begin(String name) throws Exception {
        StackSpec spec = RealStack.spec(name);
        projects.add(spec.projectId());
        RealStack.removeAll(podman, spec.projectId());
        new RunFiles(spec.outputDirectory()).clear();
        assertEquals(List.of(), podmanLeftovers(spec), "the case starts from nothing");
        return spec;
    }

    private static List<String> podmanLeftovers(StackSpec spec) throws Exception {
        return PodmanCli.leftovers(Labels.PROJECT + "=" + spec.projectId(), "dlb-" + spec.name() + "-");
    }

    /** The child as the Maven JVM of a build whose engine is Podman, named by DOCKER_HOST. */
    private static List<String> childProperties() {
        List<String> properties = new ArrayList<>(List.of("-DDOCKER_HOST=" + PodmanCli.SOCKET));
        for (String property : List.of("dlb.standin.httpd", "dlb.standin.nginx", "dlb.confd.binary", "dlb.systemtest.tag")) {
            Optional.ofNullable(System.getProperty(property)).ifPresent(v -> properties.add("-D" + property + "=" + v));
        }
        return properties;
    }

    private ProcessHandle watchdog(String line) {
        Matcher m = WATCHDOG_LINE.matcher(line);
        assertTrue(m.find(), line);
        ProcessHandle process = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow(() -> new AssertionError("not running: " + line));
        watchdogs.add(process);
        return process;
    }

    private static Duration awaitNoLeftovers(StackSpec spec, long since) throws Exception {
        List<String> left = List.of();
        for (long polls = BUDGET.dividedBy(POLL); polls >= 0; polls--) {
            left = podmanLeftovers(spec);
            if (left.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
            if (System.nanoTime() - since > BUDGET.toNanos()) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        return fail("within " + BUDGET.toSeconds() + " s of kill -9 Podman must hold nothing of " + spec.projectId() + ": " + left);
    }

    private static void await(BooleanSupplier condition, String what, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (long polls = within.dividedBy(POLL); polls >= 0; polls--) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        fail(what + ": not within " + within.toSeconds() + " s");
    }

    private static void awaitEnd(ProcessHandle process, Duration within) throws InterruptedException {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            fail("the watchdog " + process.pid() + " still runs " + within.toSeconds() + " s later");
        }
    }
}
