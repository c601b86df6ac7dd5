package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.run.ImageBuilder;
import dev.dlb.core.run.ImageBuilder.ImageRequest;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Labels;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.StackSession;
import dev.dlb.core.run.StackSession.Lifetime;
import dev.dlb.core.run.StackStopper;
import dev.dlb.core.spec.StackSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine that stops answering. {@link SilentListener} (accepts on 127.0.0.1, never answers) stands
 * for an engine hung from the start; {@link EngineProxy}, in front of the real engine, for one that
 * hangs part-way through a start and answers again later. Each goal's core must fail within its bound,
 * naming the engine and what it waited for; what a start created must be gone once the engine answers
 * again, by the next stop or by the watchdog, checked through the docker CLI too. The call timeout is
 * {@link #CALL} here (-Ddlb.engine.timeout), so that the cases run quickly. Measured times are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SilentEngineIT {

    private static final Duration CALL = Duration.ofSeconds(5);
    /** The ping's own bound (BoundedEngine.PING). */
    private static final Duration PING = Duration.ofSeconds(3);
    /** Letting go of an engine's connections (BoundedEngine.CLOSE). */
    private static final Duration CLOSE = Duration.ofSeconds(5);
    /** On top of each bound: a loaded machine, thread and JVM start-up. */
    private static final Duration SLACK = Duration.ofSeconds(4);
    /** From the engine answering again to nothing of the project in it. */
    private static final Duration CLEANUP_BUDGET = Duration.ofSeconds(30);
    private static final Duration CHILD_STEP = Duration.ofSeconds(240);
    private static final Pattern WATCHDOG_LINE = Pattern.compile("^Watchdog (\\d+) removes session (\\S+) if this process ends before stop");
    private static final List<String> FIGURES = Collections.synchronizedList(new ArrayList<>());

    private static ContainerEngine engine;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<ProcessHandle> watchdogs = new ArrayList<>();
    private final List<String> projects = new ArrayList<>();

    @BeforeAll
    static void engineAndImages() throws Exception {
        engine = RealStack.engine();
        engine.ping();
        RealStack.buildImages(engine, RealStack.spec("silent-images"));
    }

    @AfterAll
    static void printFigures() {
        System.out.println("==== silent engine figures (call timeout " + CALL.toSeconds() + " s, ping " + PING.toSeconds() + " s)");
        FIGURES.forEach(f -> System.out.println("  " + f));
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ChildJvm child : children) {
            child.kill();
        }
        for (ProcessHandle watchdog : watchdogs) {
            if (watchdog.isAlive()) {
                System.out.println("CLEANUP killing the watchdog " + watchdog.pid() + " that still runs");
                watchdog.destroyForcibly();
            }
        }
        for (AutoCloseable c : opened) {
            c.close();
        }
        for (String projectId : projects) {
            RealStack.removeAll(engine, projectId);
        }
    }

    @Test
    @Order(1)
    void startFailsWithinThePingBoundWhenTheEngineNeverAnswers() throws Exception {
        SilentListener listener = open(SilentListener.start());
        StackSpec spec = RealStack.spec("silent-listener-start");
        begin(spec);
        EngineSettings settings = settings(listener.dockerHost());

        try (ContainerEngine silent = DockerJavaEngine.connect(settings)) {
            long t0 = System.nanoTime();
            EngineException e = assertThrows(EngineException.class, () -> session(silent, settings, System.out::println)
                    .start(spec, Lifetime.ATTENDED, spec.outputDirectory()));
            Duration took = since(t0);

            assertWithin(took, PING, "start");
            assertTrue(e.getMessage().startsWith("No Docker engine answers at " + named(listener.dockerHost()) + ": "), e::getMessage);
            assertTrue(e.getMessage().contains("gave no answer within"), e::getMessage);
            assertTrue(listener.connections() > 0, "the engine was asked");
            assertFalse(Files.exists(new RunFiles(spec.outputDirectory()).sessionFile()), "nothing was written, nor created");
            figure("start, engine never answers", "failed after %.1f s (bound: ping %d s)", took, PING.toSeconds());
        }
    }

    @Test
    @Order(2)
    void buildImagesFailsWithinTheCallBoundWhenTheEngineNeverAnswers() throws Exception {
        SilentListener listener = open(SilentListener.start());
        StackSpec spec = RealStack.spec("silent-images");
        String host = listener.dockerHost();

        try (ContainerEngine silent = DockerJavaEngine.connect(settings(host))) {
            long t0 = System.nanoTime();
            assertThrows(EngineException.class, silent::ping, "build-images pings first");
            Duration pinged = since(t0);
            long t1 = System.nanoTime();
            EngineException e = assertThrows(EngineException.class, () -> new ImageBuilder(silent, false, System.out::println).build(
                    spec.outputDirectory().resolve(StackRenderer.WEB),
                    new ImageRequest(spec.web().image(), spec.web().baseImage(), "<web><baseImage>", spec.projectId())));
            Duration took = since(t1);

            assertWithin(pinged, PING, "the ping of build-images");
            assertWithin(took, CALL, "the build's first call");
            assertTrue(e.unanswered());
            assertEquals("The Docker engine at " + named(host) + " did not answer within 5 s while inspecting image " + spec.web().baseImage()
                    + ". Fix: check that it runs and answers (docker info); if it is only slow, raise -Ddlb.engine.timeout (seconds)",
                    e.getMessage());
            figure("build-images, engine never answers", "ping failed after %.1f s; a build past the ping failed after %.1f s (bound: %d s)",
                    pinged, took, CALL.toSeconds());
        }
    }

    @Test
    @Order(3)
    void stopFailsWithinTheCallBoundAndThenSpendsNoTimeoutPerResource() throws Exception {
        SilentListener listener = open(SilentListener.start());
        String host = listener.dockerHost();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        String projectId = RealStack.projectId("silent-listener-stop");

        try (ContainerEngine silent = DockerJavaEngine.connect(settings(host))) {
            long t0 = System.nanoTime();
            assertThrows(EngineException.class, silent::ping, "stop pings first");
            Duration pinged = since(t0);
            StackStopper stopper = new StackStopper(silent, log::add);
            long t1 = System.nanoTime();
            EngineException e = assertThrows(EngineException.class, () -> stopper.stopSession(projectId, "0badc0de", false));
            Duration took = since(t1);
            List<Resource> more = List.of(new Resource(Resource.Kind.CONTAINER, "c1", "dlb-x-web-1", Map.of()),
                    new Resource(Resource.Kind.CONTAINER, "c2", "dlb-x-web-2", Map.of()),
                    new Resource(Resource.Kind.NETWORK, "n1", "dlb-x", Map.of()), new Resource(Resource.Kind.VOLUME, "v1", "dlb-x-data", Map.of()));
            long t2 = System.nanoTime();
            EngineException notRemoved = assertThrows(EngineException.class, () -> stopper.remove(more));
            Duration rest = since(t2);

            assertWithin(pinged, PING, "the ping of stop");
            assertWithin(took, CALL, "stop past the ping");
            assertTrue(e.getMessage().startsWith("The Docker engine at " + named(host) + " did not answer within 5 s while listing what is "
                    + "labelled {"), e::getMessage);
            assertTrue(e.getMessage().contains("dev.dlb.project=" + projectId), e::getMessage);
            assertTrue(notRemoved.getMessage().startsWith("4 of the resources were not removed: Skipped removing "), notRemoved::getMessage);
            assertTrue(rest.compareTo(CALL) < 0, "four removals after the engine stopped answering took " + rest.toMillis() + " ms");
            assertTrue(log.contains("Could not remove container dlb-x-web-1: Skipped removing container dlb-x-web-1: the Docker engine at "
                    + named(host) + " stopped answering (did not answer within 5 s while listing what is labelled " + Labels.project(projectId) + ")"),
                    log::toString);
            figure("stop, engine never answers", "ping failed after %.1f s; stop past the ping after %.1f s (bound: %d s); "
                    + "4 removals after that %.3f s", pinged, took, CALL.toSeconds(), rest);
        }
    }

    /** docker-java reads a unix socket through a channel that ignores its read timeout: the bound must hold there too. */
    @Test
    @Order(4)
    void anEngineOnAUnixSocketThatNeverAnswersIsBoundedToo(@TempDir Path dir) throws Exception {
        SilentListener listener = open(SilentListener.onUnixSocket(dir.resolve("silent.sock")));
        String host = listener.dockerHost();
        StackSpec spec = RealStack.spec("silent-unix-start");
        begin(spec);
        EngineSettings settings = settings(host);

        ContainerEngine silent = DockerJavaEngine.connect(settings);
        long t0 = System.nanoTime();
        EngineException start = assertThrows(EngineException.class, () -> session(silent, settings, System.out::println)
                .start(spec, Lifetime.ATTENDED, spec.outputDirectory()));
        Duration started = since(t0);
        long t1 = System.nanoTime();
        EngineException stop = assertThrows(EngineException.class,
                () -> new StackStopper(silent, System.out::println).stopSession(spec.projectId(), "0badc0de", false));
        Duration stopped = since(t1);
        long t2 = System.nanoTime();
        silent.close();
        Duration closed = since(t2);

        assertWithin(started, PING, "start");
        assertEquals("No Docker engine answers at " + named(host) + ": it gave no answer within 3 s. Fix: start the engine (dockerd; "
                + "scripts/env/docker-engine.sh on Debian) or point DOCKER_HOST at it", start.getMessage());
        assertWithin(stopped, CALL, "stop past the ping");
        assertTrue(stop.getMessage().startsWith("The Docker engine at " + named(host) + " did not answer within 5 s while listing"),
                stop::getMessage);
        assertWithin(closed, CLOSE, "letting go of the engine");
        figure("start and stop, engine on a unix socket never answers", "start failed after %.1f s (bound: ping %d s); stop past the "
                + "ping after %.1f s (bound: %d s); closed in %.1f s", started, PING.toSeconds(), stopped, CALL.toSeconds(), closed);
    }

    /**
     * The stronger case, in this JVM as the start goal runs it (attended: with a watchdog, reached through
     * the proxy too): the engine stops answering once the first replica started. Start fails within the call
     * bound, leaves the session file, and the next stop removes everything once the engine answers again.
     */
    @Test
    @Order(5)
    void engineStoppingPartWayThroughAStartFailsItAndTheNextStopRemovesEverything() throws Exception {
        EngineProxy proxy = open(EngineProxy.start());
        StackSpec spec = RealStack.spec("silent-proxy-start");
        String projectId = begin(spec);
        EngineSettings settings = settings(proxy.dockerHost());
        RunFiles files = new RunFiles(spec.outputDirectory());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicLong silencedAt = new AtomicLong();

        EngineException e;
        Duration failedAfter;
        try (ContainerEngine proxied = DockerJavaEngine.connect(settings)) {
            e = assertThrows(EngineException.class, () -> session(proxied, settings, line -> {
                log.add(line);
                System.out.println("    [start] " + line);
                if (line.startsWith("Started dlb-") && silencedAt.compareAndSet(0, System.nanoTime())) {
                    proxy.silence();
                }
            }).start(spec, Lifetime.ATTENDED, spec.outputDirectory()));
            failedAfter = since(silencedAt.get());
        }
        ProcessHandle watchdog = watchdog(log.stream().filter(l -> WATCHDOG_LINE.matcher(l).find()).findFirst()
                .orElseThrow(() -> new AssertionError("a watchdog was started: " + log)));

        assertTrue(silencedAt.get() != 0, "the engine stopped answering part-way: " + log);
        assertWithin(failedAfter, CALL, "start, from the moment the engine stopped answering");
        assertTrue(e.unanswered());
        assertTrue(e.getMessage().contains("the Docker engine at " + named(proxy.dockerHost()))
                || e.getMessage().startsWith("The Docker engine at " + named(proxy.dockerHost())), e::getMessage);
        assertTrue(e.getMessage().matches("(?s).*(did not answer within 5 s while|stopped answering \\(did not answer within 5 s while) "
                + "(creating|starting) container dlb-silent-proxy-start-.*"), "names what was waiting: " + e.getMessage());
        assertTrue(e.getMessage().contains("this build's watchdog removes it once the engine answers"), e::getMessage);
        assertTrue(log.stream().noneMatch(l -> l.startsWith("Removed ")), "no removal was tried on an engine that does not answer: " + log);
        String session = files.readSession().orElseThrow(() -> new AssertionError("the session file is kept for stop"));
        assertTrue(e.getMessage().contains("session " + session + ", kept in " + files.sessionFile()), e::getMessage);
        List<String> atFailure = cliLeftovers(projectId);
        assertFalse(atFailure.isEmpty(), "the start got part-way");

        proxy.answerAgain();
        long t1 = System.nanoTime();
        List<Resource> removed;
        try (ContainerEngine proxied = DockerJavaEngine.connect(settings)) {
            proxied.ping();
            removed = new StackStopper(proxied, line -> System.out.println("    [stop] " + line)).stopSession(projectId, session, false);
            files.clear();
        }
        Duration stopTook = since(t1);

        assertEquals(List.of(), RealStack.leftovers(engine, projectId), "nothing of the project in the engine");
        assertEquals(List.of(), cliLeftovers(projectId), "nor as the docker CLI sees it");
        assertTrue(removed.size() >= atFailure.size(), "stop removed what the start left: " + removed + " of " + atFailure);
        awaitEnd(watchdog, System.nanoTime(), Duration.ofSeconds(10));
        String watchdogLog = Files.readString(files.watchdogLog(session));
        assertTrue(watchdogLog.contains("engine {DOCKER_HOST=" + proxy.dockerHost() + "}"), "the watchdog was given the proxy: " + watchdogLog);
        assertTrue(watchdogLog.contains("READY " + watchdog.pid()), watchdogLog);
        assertTrue(watchdogLog.contains("session " + session + ": STOPPED_NORMALLY"), watchdogLog);
        figure("start, engine stops answering after a replica started", "failed %.1f s after (bound: %d s); left %d resources; "
                + "the next stop removed %d in %.1f s", failedAfter, CALL.toSeconds(), atFailure.size(), removed.size(), stopTook);
    }

    /**
     * A child JVM with the engine named by a system property only: its start fails when the engine stops
     * answering, the child ends, and its watchdog (given the same engine) cannot remove the session until
     * the engine answers again, then does.
     */
    @Test
    @Order(6)
    void theWatchdogRemovesTheSessionOnceTheEngineAnswersAgain() throws Exception {
        EngineProxy proxy = open(EngineProxy.start());
        StackSpec spec = RealStack.spec("silent-proxy-watchdog");
        String projectId = begin(spec);
        List<String> properties = new ArrayList<>(List.of("-DDOCKER_HOST=" + proxy.dockerHost(), "-Ddlb.engine.timeout=" + CALL.toSeconds()));
        for (String property : List.of("dlb.standin.httpd", "dlb.standin.nginx", "dlb.confd.binary", "dlb.systemtest.tag")) {
            if (System.getProperty(property) != null) {
                properties.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        ChildJvm child = ChildJvm.launch(spec.name(), properties, StackChild.class, spec.name(), "its-running");
        children.add(child);
        Matcher line = WATCHDOG_LINE.matcher(child.await(l -> WATCHDOG_LINE.matcher(l).find(), "the watchdog runs", CHILD_STEP));
        assertTrue(line.find());
        ProcessHandle watchdog = watchdog(line.group());
        String session = line.group(2);
        child.await(l -> l.startsWith("Started dlb-"), "a replica started", CHILD_STEP);
        proxy.silence();
        long silencedAt = System.nanoTime();

        int exit = child.awaitExit(CALL.plus(CLOSE).plus(SLACK).plus(SLACK));
        Duration childEnded = since(silencedAt);
        assertNotEquals(0, exit, "the child's start failed");
        assertTrue(child.first(l -> l.contains("did not answer within 5 s while")).isPresent(), "the child said why");
        assertWithin(childEnded, CALL.plus(CLOSE), "the child, from the moment the engine stopped answering to its end");

        Thread.sleep(PING.plus(Duration.ofSeconds(2)).multipliedBy(2).toMillis());
        List<String> whileSilent = cliLeftovers(projectId);
        String watchdogLog = Files.readString(new RunFiles(spec.outputDirectory()).watchdogLog(session));
        assertTrue(watchdog.isAlive(), "the watchdog keeps trying: " + watchdogLog);
        assertFalse(whileSilent.isEmpty(), "nothing is removed while the engine does not answer, so the watchdog talks to the proxy");
        assertTrue(watchdogLog.contains("session " + session + ": OWNER_GONE"), watchdogLog);
        assertTrue(watchdogLog.contains("attempt 1 to remove the session failed: No Docker engine answers at " + proxy.dockerHost()),
                watchdogLog);

        proxy.answerAgain();
        long back = System.nanoTime();
        Duration zero = awaitNoLeftovers(projectId, back);
        Duration watchdogEnded = awaitEnd(watchdog, back, CLEANUP_BUDGET);
        watchdogLog = Files.readString(new RunFiles(spec.outputDirectory()).watchdogLog(session));
        assertEquals(List.of(), cliLeftovers(projectId), "nothing left, as the docker CLI sees it");
        assertTrue(watchdogLog.contains("engine {DOCKER_HOST=" + proxy.dockerHost() + "}"),
                "the watchdog was given the engine that the child had as a system property: " + watchdogLog);
        assertFalse(watchdogLog.contains("could not remove session"), watchdogLog);
        figure("child's start, engine stops answering; its watchdog", "child ended %.1f s after; %d resources stayed while silent; "
                + "zero %.1f s after the engine answered again; watchdog ended after %.1f s", childEnded, whileSilent.size(), zero, watchdogEnded);
    }

    // ---- helpers

    private static EngineSettings settings(String dockerHost) {
        Properties system = new Properties();
        system.setProperty("DOCKER_HOST", dockerHost);
        system.setProperty("dlb.engine.timeout", Long.toString(CALL.toSeconds()));
        return EngineSettings.of(Map.of(), system, new Properties());
    }

    private static String named(String dockerHost) {
        return dockerHost + " (system property DOCKER_HOST=" + dockerHost + ")";
    }

    private static StackSession session(ContainerEngine engine, EngineSettings settings, Consumer<String> log) {
        return new StackSession(engine, settings, new JdkHttpProbe(), Pacer.system(), log);
    }

    /** The case's project with nothing of it in the engine and no session files of an earlier run. */
    private String begin(StackSpec spec) throws Exception {
        projects.add(spec.projectId());
        RealStack.removeAll(engine, spec.projectId());
        new RunFiles(spec.outputDirectory()).clear();
        assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()), "the case starts from nothing");
        return spec.projectId();
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.add(resource);
        return resource;
    }

    private ProcessHandle watchdog(String line) {
        Matcher m = WATCHDOG_LINE.matcher(line);
        assertTrue(m.find(), line);
        ProcessHandle process = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow(() -> new AssertionError("not running: " + line));
        watchdogs.add(process);
        return process;
    }

    /** What the docker CLI lists of the project: containers, networks and volumes. */
    private static List<String> cliLeftovers(String projectId) throws IOException, InterruptedException {
        String filter = "label=" + Labels.PROJECT + "=" + projectId;
        List<String> found = new ArrayList<>();
        for (List<String> command : List.of(List.of("ps", "-a", "--filter", filter, "--format", "container {{.Names}}"),
                List.of("network", "ls", "--filter", filter, "--format", "network {{.Name}}"),
                List.of("volume", "ls", "--filter", filter, "--format", "volume {{.Name}}"))) {
            String out = DockerCli.run(command.toArray(String[]::new)).requireSuccess("docker " + String.join(" ", command)).output();
            out.lines().filter(l -> !l.isBlank()).forEach(found::add);
        }
        return found;
    }

    private static Duration awaitNoLeftovers(String projectId, long since) throws Exception {
        List<Resource> left = List.of();
        for (int i = 0; i < 300; i++) {
            left = RealStack.leftovers(engine, projectId);
            if (left.isEmpty()) {
                return since(since);
            }
            if (since(since).compareTo(CLEANUP_BUDGET) > 0) {
                break;
            }
            Thread.sleep(250);
        }
        return fail("within " + CLEANUP_BUDGET.toSeconds() + " s of the engine answering again the project must hold nothing: " + left);
    }

    private static Duration awaitEnd(ProcessHandle process, long since, Duration within) throws InterruptedException {
        try {
            process.onExit().get(Math.max(0, since + within.toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            fail("the watchdog " + process.pid() + " still runs " + within.toSeconds() + " s later");
        }
        return since(since);
    }

    private static void assertWithin(Duration took, Duration bound, String what) {
        assertTrue(took.compareTo(bound.plus(SLACK)) <= 0, what + " took " + took.toMillis() + " ms; the bound is " + bound.toSeconds()
                + " s (+" + SLACK.toSeconds() + " s slack)");
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static void figure(String what, String format, Object... args) {
        Object[] values = Stream.concat(Stream.of(what), Arrays.stream(args).map(a -> a instanceof Duration d ? d.toMillis() / 1000.0 : a))
                .toArray();
        String line = String.format(Locale.ROOT, "%-55s " + format, values);
        FIGURES.add(line);
        System.out.println("FIGURE " + line);
    }
}
