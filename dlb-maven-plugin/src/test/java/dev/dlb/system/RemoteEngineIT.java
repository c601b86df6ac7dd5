package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.StackStarter;
import dev.dlb.core.run.Watchdog;
import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.BalancerTuning;
import dev.dlb.core.spec.HealthCheck;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.Problem;
import dev.dlb.core.spec.Reach;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.WebSpec;
import dev.dlb.core.testing.Owners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lifecycle against a Docker engine that runs in a container ({@link InnerEngine}), reached over
 * {@code tcp://127.0.0.1:PORT} as a CI job reaches a {@code docker:dind} service: {@code mvn verify} of a small project
 * ({@link ChildMaven}) builds its images in that engine, starts the stack there, its IT reaches every replica through
 * {@code dlb.balancer.url}, and stop leaves nothing there. A second build, given the engine as a Maven property, is
 * killed with {@code kill -9} once its stack is up; its watchdog must leave nothing there. The inner engine publishes
 * the balancer on its own interfaces, on the one port its container publishes on 127.0.0.1, so traffic stays on
 * 127.0.0.1: hence {@code -Ddlb.balancer.port} and {@code -Ddlb.balancer.host=127.0.0.1}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteEngineIT {

    private static final String NAME = "engines-remote";
    private static final String PROJECT_ID = RealStack.projectId(NAME);
    private static final Duration BUILD = Duration.ofMinutes(8);
    /** From kill -9 to nothing of the project in the inner engine: the watchdog polls every 0.5 s, then sweeps twice 3 s apart. */
    private static final Duration WATCHDOG_BUDGET = Duration.ofSeconds(30);
    private static final Duration WATCHDOG_EXIT = Duration.ofSeconds(20);
    private static final Pattern WATCHDOG = Pattern.compile("Watchdog (\\d+) removes session (\\S+) if this process ends before stop");

    private static InnerEngine inner;
    private static final List<ChildJvm> builds = new ArrayList<>();
    private static final List<ProcessHandle> started = new ArrayList<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void anEngineInAContainerWithTheBaseImages() throws Exception {
        inner = InnerEngine.start("engines-dind", property("dlb.standin.dind"));
        inner.load(property("dlb.standin.httpd"), property("dlb.standin.nginx"));
    }

    /** A watchdog still alive now would try for minutes to reach an engine about to be removed with all it holds. */
    @AfterAll
    static void removeTheEngineAndEveryProcessStartedHere() throws Exception {
        for (ChildJvm build : builds) {
            build.kill();
            build.lines.stream().map(WATCHDOG::matcher).filter(Matcher::find)
                    .forEach(m -> ProcessHandle.of(Long.parseLong(m.group(1))).filter(p -> isWatchdog(p, m.group(2))).ifPresent(started::add));
        }
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (inner != null) {
            inner.close();
        }
    }

    @Test
    @Order(1)
    void verifyRunsTheLifecycleOnTheEngineInAContainerAndStopLeavesNothingThere() throws Exception {
        ChildJvm build = build("verify", ChildMaven.project(NAME), Map.of("DOCKER_HOST", inner.host()), List.of());

        assertEquals(0, build.awaitExit(BUILD), "mvn verify against " + inner.host() + " passes");
        String engine = "dlb: Docker engine " + inner.host() + " (environment variable DOCKER_HOST=" + inner.host() + ")";
        assertEquals(4, build.lines.stream().filter(l -> l.contains(engine)).count(), "every goal names the engine and why: " + engine);
        String url = "http://127.0.0.1:" + inner.publishedPort + "/";
        assertTrue(build.saw(l -> l.contains("dlb: 3 replicas answering through " + url)), "dlb.balancer.url names the engine's published port");
        assertTrue(build.saw(l -> l.equals("REPLICAS-SEEN " + url + " [web-1, web-2, web-3]")), "the IT reached every replica through it");
        assertTrue(build.saw(l -> l.contains("dlb: removed 8 resources")), "stop removed the stack");
        assertEquals(List.of(), inner.leftovers(PROJECT_ID), "nothing of the project left in the inner engine");
        assertOuterEngineUntouched();
    }

    @Test
    @Order(2)
    void afterKill9TheWatchdogLeavesNothingOnTheEngineInAContainer() throws Exception {
        Path hold = Files.writeString(tmp.resolve("hold"), "");
        Path project = ChildMaven.project(NAME);
        ChildJvm build = build("kill", project, Map.of(), List.of("-DDOCKER_HOST=" + inner.host(), "-Dengines.hold=" + hold));
        awaitFile(build, hold.resolveSibling("hold.up"));
        Matcher watchdog = WATCHDOG.matcher(build.first(l -> WATCHDOG.matcher(l).find()).orElseThrow());
        assertTrue(watchdog.find());
        ProcessHandle watchdogProcess = ProcessHandle.of(Long.parseLong(watchdog.group(1))).orElseThrow();
        started.add(watchdogProcess);
        build.process.descendants().filter(p -> p.pid() != watchdogProcess.pid()).forEach(started::add);
        assertTrue(build.saw(l -> l.contains("dlb: Docker engine " + inner.host() + " (Maven user property DOCKER_HOST=" + inner.host() + ")")));
        assertEquals(8, inner.leftovers(PROJECT_ID).stream().filter(l -> !l.endsWith("(labelled)")).count(), "the stack is up in the inner engine");
        aPortTakenOnTheEngineIsNamedByTheEngine();

        build.kill();
        Files.delete(hold);
        long killed = System.nanoTime();

        awaitNothingLeft(killed);
        assertTrue(ended(watchdogProcess), "the watchdog ended by itself within " + WATCHDOG_EXIT.toSeconds() + " s");
        String log = Files.readString(project.resolve("target/dlb/watchdog-" + watchdog.group(2) + ".log"));
        assertTrue(log.contains("engine found: " + inner.host() + " (environment variable DOCKER_HOST=" + inner.host() + ")"),
                "the watchdog reached the engine Maven was given as a property: " + log);
        assertOuterEngineUntouched();
    }

    /**
     * While the killed build's stack holds the port in the inner engine, another stack asks for the same port there.
     * This machine cannot see that port; the engine says it is taken, and start names it and removes what it made.
     */
    private void aPortTakenOnTheEngineIsNamedByTheEngine() throws Exception {
        String project = RealStack.projectId("engines-conflict");
        WebSpec web = new WebSpec(1, property("dlb.standin.httpd"), "dlb/" + NAME + "-web:1.0", Optional.empty(), Optional.empty(),
                new TreeMap<>(), new TreeMap<>(), new Limits("256m", 512), 256);
        BalancerSpec balancer = new BalancerSpec(property("dlb.standin.nginx"), "dlb/" + NAME + "-balancer:1.0", "0.0.0.0", inner.publishedPort,
                "round-robin", new Limits("128m", 128), true, BalancerTuning.DEFAULTS, HealthCheck.DEFAULTS, new Reach("127.0.0.1", false));
        StackSpec spec = new StackSpec(project, "engines-conflict", Path.of("target", "system", "engines-conflict").toAbsolutePath(), web,
                balancer, Duration.ofSeconds(60), false);
        Properties engineHost = new Properties();
        engineHost.setProperty("DOCKER_HOST", inner.host());
        try (ContainerEngine engine = DockerJavaEngine.connect(EngineSettings.of(Map.of(), engineHost, new Properties()))) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class,
                    () -> new StackStarter(engine, new JdkHttpProbe(), Pacer.system(), System.out::println).start(spec, "c0ffee01", Owners.me()));

            Problem problem = e.problems().get(0);
            assertEquals("<balancer><port>", problem.xmlPath(), e::getMessage);
            assertTrue(problem.reason().contains("port is already allocated"), problem::reason);
        }
        assertEquals(List.of(), inner.leftovers(project), "the refused start removed what it made");
    }

    private static ChildJvm build(String run, Path project, Map<String, String> docker, List<String> properties) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "-Ddlb.balancer.port=" + inner.publishedPort, "-Ddlb.balancer.host=127.0.0.1"));
        args.addAll(properties);
        ChildJvm build = ChildMaven.start(NAME + "-" + run, project, docker, args);
        builds.add(build);
        return build;
    }

    private static void awaitFile(ChildJvm build, Path file) throws InterruptedException {
        long deadline = System.nanoTime() + BUILD.toNanos();
        for (long i = 0; i < BUILD.toSeconds() * 4 && System.nanoTime() < deadline; i++) {
            if (Files.exists(file)) {
                return;
            }
            if (!build.process.isAlive()) {
                fail("the build ended (exit " + build.process.exitValue() + ") before its IT held the stack up");
            }
            Thread.sleep(250);
        }
        fail("the build's IT did not hold the stack up within " + BUILD.toSeconds() + " s");
    }

    private static void awaitNothingLeft(long killed) throws Exception {
        List<String> left = inner.leftovers(PROJECT_ID);
        for (long i = 0; i < WATCHDOG_BUDGET.toSeconds() * 2 && !left.isEmpty(); i++) {
            Thread.sleep(500);
            left = inner.leftovers(PROJECT_ID);
        }
        double seconds = (System.nanoTime() - killed) / 1e9;
        System.out.printf("RemoteEngineIT: %s left %.1f s after kill -9%n", left.isEmpty() ? "nothing" : left, seconds);
        assertEquals(List.of(), left, "the watchdog removed the stack from the inner engine within " + WATCHDOG_BUDGET.toSeconds() + " s");
        assertTrue(seconds < WATCHDOG_BUDGET.toSeconds() + 5, "within the budget: " + seconds);
    }

    /** That session's watchdog still, and not another process that got its pid since. */
    private static boolean isWatchdog(ProcessHandle process, String session) {
        List<String> arguments = List.of(process.info().arguments().orElse(new String[0]));
        return arguments.contains(Watchdog.class.getName()) && arguments.contains(session);
    }

    private static boolean ended(ProcessHandle process) throws InterruptedException, ExecutionException {
        try {
            process.onExit().get(WATCHDOG_EXIT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** The builds were given only the inner engine: the engine this JVM talks to holds nothing of the project. */
    private static void assertOuterEngineUntouched() throws Exception {
        try (ContainerEngine outer = RealStack.engine()) {
            assertEquals(List.of(), RealStack.leftovers(outer, PROJECT_ID));
        }
        assertFalse(DockerCli.exists("image", "dlb/" + NAME + "-web:1.0"), "the images were built in the inner engine only");
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the system tests through failsafe (mvn verify)");
        }
        return value;
    }
}
