package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.run.StackStarter;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.testing.ForwardingEngine;
import dev.dlb.core.testing.Owners;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault matrix against the real engine. A child JVM ({@link StackChild}) stands in for the Maven
 * JVM: it starts an attended session exactly as the start goal does (session files, watchdog, stack)
 * and is then interrupted, killed or ended at the moment each case names. After every fault the
 * project must hold no container, network or volume within {@link #BUDGET}, measured from the fault,
 * and the session's watchdog must have ended. The engine refusing a container is run in this JVM,
 * through a {@link ContainerEngine} that fails on purpose, so that "nothing left" can be checked the
 * moment start returns. Each case has its own project id (dev.dlb.system:fault-*), so that it can
 * prove it left nothing of its own while others use the same engine.
 *
 * <p>Figures (seconds until zero, resources at the fault and left) are printed per case and again
 * as a table at the end. "Failing ITs" in a real child Maven is the invoker IT failing-its-leave-nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixIT {

    /** From the fault to nothing of the project in the engine. */
    private static final Duration BUDGET = Duration.ofSeconds(30);
    /** A child's next milestone: may include building the images if someone changed them meanwhile. */
    private static final Duration CHILD_STEP = Duration.ofSeconds(240);
    /** A child told to end (or ending by itself) has gone within this. */
    private static final Duration CHILD_EXIT = Duration.ofSeconds(20);
    /** The watchdog of a normally ended session notices the deleted marker within this (it polls every 0.5 s). */
    private static final Duration WATCHDOG_SELF_END = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int EXIT_SIGINT = 128 + 2;
    private static final int EXIT_SIGKILL = 128 + 9;
    private static final Pattern WATCHDOG_LINE = Pattern.compile("^Watchdog (\\d+) removes session (\\S+) if this process ends before stop");
    private static final List<String> FIGURES = Collections.synchronizedList(new ArrayList<>());

    private static ContainerEngine engine;

    private final List<ChildJvm> children = new ArrayList<>();
    private final List<ProcessHandle> watchdogs = new ArrayList<>();
    private final List<String> projects = new ArrayList<>();

    @BeforeAll
    static void engineAndImages() throws Exception {
        engine = RealStack.engine();
        engine.ping();
        // built (or found up to date) once here, so that the children find them ready
        RealStack.buildImages(engine, RealStack.spec("fault-images"));
    }

    @AfterAll
    static void printFigures() {
        System.out.println("==== fault matrix figures (budget " + BUDGET.toSeconds() + " s from the fault to nothing left)");
        FIGURES.forEach(f -> System.out.println("  " + f));
        if (engine != null) {
            engine.close();
        }
    }

    /** Even after a failure: the children and their watchdogs end, and every project of the case is removed. */
    @AfterEach
    void cleanUp() throws Exception {
        for (ChildJvm child : children) {
            child.kill();
        }
        for (ProcessHandle watchdog : watchdogs) {
            if (watchdog.isAlive()) {
                System.out.println("CLEANUP killing the watchdog " + watchdog.pid() + " that still runs");
                watchdog.destroyForcibly();
                try {
                    watchdog.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    System.out.println("CLEANUP the watchdog " + watchdog.pid() + " did not end: " + e);
                }
            }
        }
        for (String projectId : projects) {
            RealStack.removeAll(engine, projectId);
            List<Resource> left = RealStack.leftovers(engine, projectId);
            if (!left.isEmpty()) {
                System.out.println("CLEANUP could not remove everything of " + projectId + ": " + left);
            }
        }
    }

    /** The earliest Ctrl-C: the watchdog has just said that it runs, and start is about to create the networks. */
    @Test
    @Order(0)
    void sigintAsTheWatchdogStarts() throws Exception {
        Result r = fault("fault-sigint-watchdog", "its-running", "the watchdog launched", l -> WATCHDOG_LINE.matcher(l).find(),
                Fault.SIGINT);
        assertFalse(r.child.saw(l -> l.startsWith("STACK-UP")), "the signal must land while start runs, but the stack came up first");
        assertEquals(EXIT_SIGINT, r.exitCode);
    }

    @Test
    @Order(1)
    void sigintDuringStart() throws Exception {
        Result r = fault("fault-sigint-start", "its-running", "the first container started", l -> l.startsWith("Started dlb-"),
                Fault.SIGINT);
        assertFalse(r.child.saw(l -> l.startsWith("STACK-UP")), "the signal must land while start runs, but the stack came up first");
        assertEquals(EXIT_SIGINT, r.exitCode, "the child JVM ends on SIGINT as a Ctrl-C'd Maven does");
    }

    @Test
    @Order(2)
    void sigkillDuringStart() throws Exception {
        Result r = fault("fault-sigkill-start", "its-running", "the first container started", l -> l.startsWith("Started dlb-"),
                Fault.SIGKILL);
        assertFalse(r.child.saw(l -> l.startsWith("STACK-UP")), "the kill must land while start runs, but the stack came up first");
        assertEquals(EXIT_SIGKILL, r.exitCode);
    }

    /** kill -9 at staggered moments of start, to land while the engine still serves a create. */
    @ParameterizedTest(name = "SIGKILL {0} ms after the watchdog launched")
    @ValueSource(ints = {300, 700, 1200, 2000})
    @Order(3)
    void sigkillAtStaggeredMomentsOfStart(int millis) throws Exception {
        Result r = fault("fault-sigkill-" + millis + "ms", "its-running", "the watchdog launched", l -> WATCHDOG_LINE.matcher(l).find(),
                Duration.ofMillis(millis), Fault.SIGKILL);
        assertEquals(EXIT_SIGKILL, r.exitCode);
    }

    @Test
    @Order(4)
    void sigintDuringTheIts() throws Exception {
        Result r = fault("fault-sigint-its", "its-running", "the stack is up", l -> l.startsWith("STACK-UP"), Fault.SIGINT);
        assertEquals(EXIT_SIGINT, r.exitCode);
    }

    @Test
    @Order(5)
    void sigkillDuringTheIts() throws Exception {
        Result r = fault("fault-sigkill-its", "its-running", "the stack is up", l -> l.startsWith("STACK-UP"), Fault.SIGKILL);
        assertEquals(EXIT_SIGKILL, r.exitCode);
    }

    /** ITs fail and the JVM ends without stop (the real Maven run of failing ITs is the invoker IT). */
    @Test
    @Order(6)
    void itsFailAndTheJvmEndsWithoutStop() throws Exception {
        Result r = fault("fault-its-fail", "its-fail", "the IT failed", l -> l.startsWith("IT-FAILED"), Fault.NONE);
        assertEquals(StackChild.EXIT_IT_FAILED, r.exitCode);
    }

    @Test
    @Order(7)
    void watchdogEndsByItselfWhenTheSessionEndsNormally() throws Exception {
        String name = "fault-normal-end";
        String projectId = begin(name);
        ChildJvm child = launch(name, "normal-end");
        Watched watchdog = watchdogOf(child);
        child.await(l -> l.startsWith("STOPPED"), "stop ran", CHILD_STEP);
        long stoppedAt = System.nanoTime();
        assertEquals(List.of(), RealStack.leftovers(engine, projectId), "stop removes the whole session at once");
        assertFalse(Files.exists(new RunFiles(RealStack.spec(name).outputDirectory()).markerFile(watchdog.session)),
                "stop deleted the marker");

        Duration ended = awaitEnd(watchdog.process, stoppedAt, WATCHDOG_SELF_END);
        assertTrue(child.process.isAlive(), "the watchdog must end because the marker went, while its owner still runs");
        String log = watchdogLog(name, watchdog.session);
        assertTrue(log.contains("session " + watchdog.session + ": STOPPED_NORMALLY"), "watchdog log: " + log);
        assertFalse(log.contains("OWNER_GONE"), "watchdog log: " + log);

        child.kill();
        assertEquals(List.of(), RealStack.leftovers(engine, projectId), "nothing came back");
        figure(String.format(Locale.ROOT, "%-52s watchdog ended %.1f s after stop, owner still running; resources left 0",
                "normal end (stop, marker deleted)", seconds(ended)));
    }

    @ParameterizedTest(name = "engine fails creating {0} ({1})")
    @CsvSource({"web-2, REFUSE", "web-2, FAIL_AFTER_CREATE", "balancer, REFUSE"})
    @Order(8)
    void engineFailingOneContainerPartWayLeavesNothingAtOnce(String role, Refusal refusal) throws Exception {
        String name = "fault-engine-" + role + "-" + refusal.name().toLowerCase(Locale.ROOT).replace('_', '-');
        String projectId = begin(name);
        StackSpec spec = RealStack.spec(name);
        String session = "e0e0e0e1";
        String refused = StackNames.of(spec, session).container(role);
        RefusingEngine refusing = new RefusingEngine(engine, refused, refusal);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Consumer<String> sink = line -> {
            log.add(line);
            System.out.println("    [" + name + "] " + line);
        };

        long t0 = System.nanoTime();
        EngineException e = assertThrows(EngineException.class, () -> new StackStarter(refusing, new JdkHttpProbe(), Pacer.system(), sink)
                .start(spec, session, Owners.me()));
        Duration failedAfter = Duration.ofNanos(System.nanoTime() - t0);
        List<Resource> left = RealStack.leftovers(engine, projectId);

        assertEquals(List.of(), left, "start removes everything it created before it returns");
        assertEquals(1, refusing.refusals.get(), "the engine failed exactly one create");
        assertTrue(e.getMessage().contains(refusal.message(refused)), e::getMessage);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Start failed") && l.contains(refusal.message(refused))),
                "the log says why start failed: " + log);
        List<String> removed = log.stream().filter(l -> l.startsWith("Removed ")).toList();
        StackNames names = StackNames.of(spec, session);
        for (String network : List.of(names.network(), names.webNetwork())) {
            assertTrue(removed.contains("Removed network " + network), "start got part-way (networks) and removed them: " + removed);
        }
        for (String volume : List.of(names.webVolume(), names.balancerVolume())) {
            assertTrue(removed.contains("Removed volume " + volume), "its volumes are removed too: " + removed);
        }
        if (refusal == Refusal.FAIL_AFTER_CREATE) {
            assertTrue(removed.contains("Removed container " + refused),
                    "the container the engine made but never reported is found by its labels and removed: " + removed);
        } else {
            assertFalse(removed.contains("Removed container " + refused), "the refused container never existed: " + removed);
        }
        if (role.equals("balancer")) {
            for (int n = 1; n <= spec.web().replicas(); n++) {
                assertTrue(removed.contains("Removed container " + names.replica(n)), "every started replica is removed: " + removed);
            }
        }
        assertFalse(log.stream().anyMatch(l -> l.startsWith("Could not remove")), "every removal worked: " + log);
        figure(String.format(Locale.ROOT, "%-52s start failed after %.1f s; removed %d resources; left right after: %d",
                "engine fails " + role + " (" + refusal.name().toLowerCase(Locale.ROOT) + ")", seconds(failedAfter),
                removed.size(), left.size()));
    }

    /**
     * The owner and its watchdog are both killed (as when a whole machine session is killed): the
     * session stays behind until the next start of the project, which removes it before it creates
     * anything, and then comes up itself.
     */
    @Test
    @Order(9)
    void nextStartRemovesASessionWhoseOwnerAndWatchdogWereKilled() throws Exception {
        String name = "fault-orphan";
        String projectId = begin(name);
        StackSpec spec = RealStack.spec(name);
        ChildJvm child = launch(name, "its-running");
        Watched watchdog = watchdogOf(child);
        child.await(l -> l.startsWith("STACK-UP"), "the stack is up", CHILD_STEP);

        watchdog.process.destroyForcibly();
        watchdog.process.onExit().get(10, TimeUnit.SECONDS);
        child.process.destroyForcibly();
        assertEquals(EXIT_SIGKILL, child.awaitExit(CHILD_EXIT));
        List<Resource> orphaned = engine.list(RealStack.session(projectId, watchdog.session));
        int containers = spec.web().replicas() + 1;
        assertEquals(containers + 2, orphaned.size(), "the killed session is still there (containers and both networks): " + orphaned);

        List<String> log = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        RunningStack fresh = new StackStarter(engine, new JdkHttpProbe(), Pacer.system(), line -> {
            log.add(line);
            System.out.println("    [" + name + " next start] " + line);
        }).start(spec, "00c0ffee", Owners.me());
        Duration startTook = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(List.of(), engine.list(RealStack.session(projectId, watchdog.session)), "the orphaned session is gone");
        String reaped = "Removing session " + watchdog.session + " of " + projectId + " left behind (its Maven process "
                + child.process.pid() + " is gone)";
        int reapedAt = log.indexOf(reaped);
        assertTrue(reapedAt >= 0, "start says which session it removes and why: " + log);
        int firstStarted = indexOf(log, l -> l.startsWith("Started "));
        assertTrue(reapedAt < firstStarted, "the orphan goes before anything new is started: " + log);
        long removedOrphans = log.subList(reapedAt, firstStarted).stream().filter(l -> l.startsWith("Removed ")).count();
        assertEquals(orphaned.size(), removedOrphans, "every resource of the orphaned session is removed: " + log);

        HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                HttpRequest.newBuilder(URI.create(fresh.balancerUrl())).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), "the new stack answers");
        List<Resource> now = RealStack.leftovers(engine, projectId);
        assertTrue(now.stream().filter(r -> r.kind() != Resource.Kind.VOLUME)
                .allMatch(r -> "00c0ffee".equals(r.labels().get(dev.dlb.core.run.Labels.SESSION))), "only the new session runs: " + now);

        RealStack.removeAll(engine, projectId);
        assertEquals(List.of(), RealStack.leftovers(engine, projectId));
        figure(String.format(Locale.ROOT, "%-52s orphaned %d resources; next start removed them and was up after %.1f s",
                "owner + watchdog SIGKILLed, next start", orphaned.size(), seconds(startTook)));
    }

    // ---- the fault runner

    private enum Fault {
        /** Ctrl-C: SIGINT to the child's whole process group, as a terminal sends it. */
        SIGINT,
        /** kill -9 of the child JVM alone. */
        SIGKILL,
        /** The child ends by itself. */
        NONE
    }

    private record Result(ChildJvm child, int exitCode) {
    }

    /** Runs a child to {@code moment}, applies the fault, and checks that the watchdog removes everything in time. */
    private Result fault(String name, String mode, String momentText, Predicate<String> moment, Fault fault) throws Exception {
        return fault(name, mode, momentText, moment, Duration.ZERO, fault);
    }

    /** As above, {@code delay} after the moment. */
    private Result fault(String name, String mode, String momentText, Predicate<String> moment, Duration delay, Fault fault)
            throws Exception {
        String projectId = begin(name);
        ChildJvm child = launch(name, mode);
        if (fault == Fault.SIGINT) {
            assertTrue(child.saw(l -> l.endsWith("SIGINT-IGNORED false")),
                    "the child must not inherit SIGINT as ignored (run mvn from a shell that does not ignore it): " + child.lines);
        }
        Watched watchdog = watchdogOf(child);
        child.await(moment, momentText, CHILD_STEP);
        Thread.sleep(delay.toMillis());
        int atFault = RealStack.leftovers(engine, projectId).size();
        long faultAt = System.nanoTime();
        switch (fault) {
            case SIGINT -> child.interruptGroup();
            case SIGKILL -> child.process.destroyForcibly();
            case NONE -> { }
        }
        int exitCode = child.awaitExit(CHILD_EXIT);

        Duration zero = awaitNoLeftovers(projectId, faultAt);
        Duration watchdogEnded = awaitEnd(watchdog.process, faultAt, BUDGET);
        // the watchdog looks twice, for a create the engine was still serving; nothing may have come back
        assertEquals(List.of(), RealStack.leftovers(engine, projectId), "still nothing after the watchdog ended");
        String log = watchdogLog(name, watchdog.session);
        assertTrue(log.contains("session " + watchdog.session + ": OWNER_GONE"), "the watchdog saw its owner go: " + log);
        assertFalse(log.contains("could not remove session"), "watchdog log: " + log);
        long removedByWatchdog = log.lines().filter(l -> l.contains("dlb-watchdog: Removed ")).count();
        assertTrue(removedByWatchdog >= atFault, "the watchdog removed what the session had at the fault (" + atFault + "): " + log);

        figure(String.format(Locale.ROOT, "%-68s at fault %2d resources; zero after %4.1f s; watchdog removed %d and ended after %4.1f s;"
                + " left 0; child exit %d", fault + " at " + momentText + (delay.isZero() ? "" : " +" + delay.toMillis() + " ms")
                + " (" + mode + (child.saw(l -> l.startsWith("STACK-UP")) ? ", stack was up" : ", during start") + ")",
                atFault, seconds(zero), removedByWatchdog, seconds(watchdogEnded), exitCode));
        return new Result(child, exitCode);
    }

    /** A case's project id, with nothing of it in the engine (an aborted earlier run is cleared first). */
    private String begin(String name) throws EngineException {
        String projectId = RealStack.projectId(name);
        projects.add(projectId);
        RealStack.removeAll(engine, projectId);
        assertEquals(List.of(), RealStack.leftovers(engine, projectId), "the case starts from nothing");
        return projectId;
    }

    private static Duration awaitNoLeftovers(String projectId, long since) throws Exception {
        long deadline = since + BUDGET.toNanos();
        List<Resource> left = List.of();
        for (int i = 0; i < 1000; i++) {
            left = RealStack.leftovers(engine, projectId);
            if (left.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        return fail("within " + BUDGET.toSeconds() + " s of the fault the project must hold nothing, but it holds " + left);
    }

    private static Duration awaitEnd(ProcessHandle process, long since, Duration within) throws InterruptedException {
        try {
            process.onExit().get(Math.max(0, since + within.toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            fail("the watchdog " + process.pid() + " still runs " + within.toSeconds() + " s later: " + process.info());
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private static String watchdogLog(String name, String session) throws IOException {
        Path file = new RunFiles(RealStack.spec(name).outputDirectory()).watchdogLog(session);
        assertTrue(Files.isRegularFile(file), "the watchdog writes its log to " + file);
        return Files.readString(file);
    }

    private record Watched(ProcessHandle process, String session) {
    }

    /** The child's watchdog, from the line the session prints, checked to be that session's watchdog process. */
    private Watched watchdogOf(ChildJvm child) throws InterruptedException {
        Matcher m = WATCHDOG_LINE.matcher(child.await(l -> WATCHDOG_LINE.matcher(l).find(), "the watchdog launched", CHILD_STEP));
        assertTrue(m.find());
        long pid = Long.parseLong(m.group(1));
        String session = m.group(2);
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("watchdog " + pid + " is not running"));
        watchdogs.add(process);
        List<String> command = commandLine(pid);
        int main = command.indexOf("dev.dlb.core.run.Watchdog");
        assertTrue(main > 0 && command.subList(main, command.size()).contains(session),
                "pid " + pid + " is the watchdog of session " + session + ": " + command);
        assertNotEquals(child.process.pid(), pid);
        return new Watched(process, session);
    }

    /** The full command line (ProcessHandle.Info cuts long ones short). */
    private static List<String> commandLine(long pid) {
        try {
            return List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return fail("cannot read the command line of " + pid + ": " + e);
        }
    }

    private ChildJvm launch(String name, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        // a session (and process group) of its own, like a build in a terminal, so that a group SIGINT is a Ctrl-C
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        if (ENV_DEFAULT_SIGNAL) {
            command.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        for (String property : List.of("dlb.standin.httpd", "dlb.standin.nginx", "dlb.confd.binary")) {
            command.add("-D" + property + "=" + System.getProperty(property));
        }
        if (System.getProperty("dlb.systemtest.tag") != null) {
            command.add("-Ddlb.systemtest.tag=" + System.getProperty("dlb.systemtest.tag"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StackChild.class.getName(), name, mode));
        Process process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ChildJvm child = new ChildJvm(name, process);
        children.add(child);
        String pidLine = child.await(l -> l.startsWith("CHILD-PID "), "the child reported its pid", CHILD_STEP);
        assertEquals(process.pid(), Long.parseLong(pidLine.split(" ")[1]), "the pid the test signals is the child JVM's");
        return child;
    }

    /** Whether env can reset SIGINT to default, undoing an ignored SIGINT inherited from a background shell. */
    private static final boolean ENV_DEFAULT_SIGNAL = envDefaultSignal();

    private static boolean envDefaultSignal() {
        try {
            Process p = new ProcessBuilder("/usr/bin/env", "--default-signal=INT", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- the engine that fails one container

    enum Refusal {
        /** The engine refuses the create: nothing of that container exists. */
        REFUSE,
        /** The engine makes the container, then the call fails, so start never learns its id. */
        FAIL_AFTER_CREATE;

        String message(String container) {
            return this == REFUSE ? "the engine (test) refuses to create " + container
                    : "the engine (test) failed after creating " + container;
        }
    }

    /** The real engine, but the create of one named container fails. */
    private static final class RefusingEngine extends ForwardingEngine {

        private final String refused;
        private final Refusal refusal;
        final AtomicInteger refusals = new AtomicInteger();

        RefusingEngine(ContainerEngine real, String refused, Refusal refusal) {
            super(real);
            this.refused = refused;
            this.refusal = refusal;
        }

        @Override
        public String createContainer(ContainerPlan plan) throws EngineException {
            if (plan.name().equals(refused)) {
                refusals.incrementAndGet();
                if (refusal == Refusal.FAIL_AFTER_CREATE) {
                    real.createContainer(plan);
                }
                throw new EngineException(refusal.message(refused));
            }
            return real.createContainer(plan);
        }
    }

    // ---- figures

    private static void figure(String line) {
        FIGURES.add(line);
        System.out.println("FIGURE " + line);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static int indexOf(List<String> lines, Predicate<String> match) {
        synchronized (lines) {
            for (int i = 0; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return i;
                }
            }
        }
        return lines.size();
    }
}
