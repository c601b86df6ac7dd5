package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.FileId;
import dev.dlb.core.run.Labels;
import dev.dlb.core.run.OrphanReaper;
import dev.dlb.core.run.OwnerCheck;
import dev.dlb.core.run.ProcFs;
import dev.dlb.core.run.SessionLocks;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.run.StackStopper;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.testing.ForwardingEngine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cleanup stays within what one build made, on an engine other builds use too: a volume Docker has to
 * create again mid-start still carries the project's labels (so stop finds and removes it), and a session
 * whose build runs in another pid namespace (a CI agent in a container) is left alone while that build
 * lives and removed by the next start once it is gone, proven by the lock it held.
 */
class CleanupScopeIT {

    /** A child's next milestone: may include building the images if someone changed them meanwhile. */
    private static final Duration CHILD_STEP = Duration.ofSeconds(240);
    private static final Duration CHILD_EXIT = Duration.ofSeconds(20);
    private static final Pattern STACK_UP = Pattern.compile("^STACK-UP (\\S+) session (\\S+)$");

    private final List<StackSpec> specs = new ArrayList<>();
    private final List<ChildJvm> children = new ArrayList<>();
    private final ContainerEngine engine = RealStack.engine();

    @AfterEach
    void cleanUp() throws Exception {
        for (ChildJvm child : children) {
            child.kill();
        }
        for (StackSpec spec : specs) {
            RealStack.removeAll(engine, spec.projectId());
            // a volume that lost its labels has only its name left to find it by
            for (String volume : volumesNamedLike("dlb-" + spec.name() + "-")) {
                DockerCli.run("volume", "rm", volume);
            }
        }
        engine.close();
    }

    /**
     * Another session's stop may remove the project's volume after this start created it and before a
     * container mounts it. Docker then creates it again on the fly: with a bind, unlabelled, and nothing
     * would ever remove it; mounted with the project's labels, stop finds it like any other.
     */
    @Test
    void aVolumeRemovedBeforeItsContainerIsCreatedAgainWithLabelsAndStopRemovesIt() throws Exception {
        StackSpec spec = begin("cleanup-volume-race");
        StackNames names = StackNames.of(spec, "c1ea0001");
        VolumeRemovingEngine racing = new VolumeRemovingEngine(engine);

        RealStack.start(racing, spec, names.session());

        // start creates both volumes at once: in either order
        assertEquals(Set.of(names.webVolume(), names.balancerVolume()), Set.copyOf(racing.removed),
                "each volume was removed once, after start created it and before a container mounted it");
        for (String volume : List.of(names.webVolume(), names.balancerVolume())) {
            JsonNode labels = DockerCli.inspect("volume", volume).path("Labels");
            assertEquals(spec.projectId(), labels.path(Labels.PROJECT).asText(), "the volume Docker made again is ours: " + labels);
        }
        new StackStopper(engine, System.out::println).stopSession(spec.projectId(), names.session(), false);

        assertEquals(List.of(), volumesNamedLike("dlb-" + spec.name() + "-"), "no volume of the stack's names is left, labelled or not");
        assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
    }

    @Test
    void aBuildInAnotherPidNamespaceIsLeftAloneWhileItRunsAndReapedOnceItIsGone() throws Exception {
        assumeTrue(unshareWorks(), "needs unshare --pid --fork --mount-proc (root, util-linux) to run a build in a pid namespace of its own");
        StackSpec spec = begin("cleanup-pidns");
        ChildJvm child = launchInOwnPidNamespace(spec.name());
        Matcher up = STACK_UP.matcher(child.await(l -> STACK_UP.matcher(l).matches(), "the stack is up", CHILD_STEP));
        assertTrue(up.matches());
        String session = up.group(2);
        List<Resource> running = engine.list(RealStack.session(spec.projectId(), session));
        assertFalse(running.isEmpty(), "the child's session is in the engine");
        String owner = running.get(0).labels().get(Labels.OWNER);
        assertFalse(owner.contains("/" + new ProcFs().self().pidNamespace() + "/"), "the child's pids are not ours: " + owner);

        List<String> whileRunning = reap(spec);
        assertEquals(ids(running), ids(engine.list(RealStack.session(spec.projectId(), session))), "nothing of the live build is removed");
        assertTrue(whileRunning.stream().anyMatch(l -> l.startsWith("Leaving session " + session) && l.contains("still holds its lock on")),
                whileRunning::toString);

        killWithItsNamespace(child, session);
        assertEquals(ids(running), ids(engine.list(RealStack.session(spec.projectId(), session))),
                "its watchdog died with it, so the session is still there for the reaper");
        List<String> afterwards = reap(spec);

        assertEquals(List.of(), engine.list(RealStack.session(spec.projectId(), session)), "the session of the gone build is removed");
        assertTrue(afterwards.stream().anyMatch(l -> l.startsWith("Removing session " + session) && l.contains("no longer holds its lock on")),
                afterwards::toString);
    }

    private StackSpec begin(String name) throws EngineException {
        StackSpec spec = RealStack.spec(name);
        specs.add(spec);
        RealStack.removeAll(engine, spec.projectId());
        assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()), "the case starts from nothing");
        return spec;
    }

    /** What the next start's reaper does, as seen from this JVM (in the machine's own pid namespace). */
    private List<String> reap(StackSpec spec) throws EngineException {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        new OrphanReaper(engine, new StackStopper(engine, log::add), new OwnerCheck(new ProcFs(), new SessionLocks()), line -> {
            log.add(line);
            System.out.println("    [reaper] " + line);
        }).reap(spec.projectId(), FileId.of(Path.of("")));
        return log;
    }

    /** A child JVM that starts an attended session (as the start goal does) as pid 1 of a new pid namespace, like a container. */
    private ChildJvm launchInOwnPidNamespace(String name) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        for (String property : List.of("dlb.standin.httpd", "dlb.standin.nginx", "dlb.confd.binary")) {
            command.add("-D" + property + "=" + System.getProperty(property));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StackChild.class.getName(), name, "its-running"));
        Process process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir"))).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ChildJvm child = new ChildJvm(name, process);
        children.add(child);
        String pidLine = child.await(l -> l.startsWith("CHILD-PID "), "the child reported its pid", CHILD_STEP);
        assertNotEquals(process.pid(), Long.parseLong(pidLine.split(" ")[1]), "the child sees pids of a namespace of its own");
        return child;
    }

    /** Kills unshare, which kills the child JVM, pid 1 of its namespace, and with it every process there: its watchdog too. */
    private static void killWithItsNamespace(ChildJvm child, String session) throws Exception {
        child.process.destroyForcibly();
        child.awaitExit(CHILD_EXIT);
        long deadline = System.nanoTime() + CHILD_EXIT.toNanos();
        while (watchdogRuns(session)) {
            assertTrue(System.nanoTime() < deadline, "the watchdog of session " + session + " still runs " + CHILD_EXIT.toSeconds()
                    + " s after its namespace ended");
            Thread.sleep(100);
        }
    }

    private static boolean watchdogRuns(String session) {
        return ProcessHandle.allProcesses().anyMatch(p -> commandLine(p.pid()).contains("dev.dlb.core.run.Watchdog")
                && commandLine(p.pid()).contains(session));
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The engine's volumes whose names start with {@code prefix}, labelled or not, through the docker CLI. */
    private static List<String> volumesNamedLike(String prefix) throws IOException, InterruptedException {
        String names = DockerCli.run("volume", "ls", "--format", "{{.Name}}").requireSuccess("docker volume ls").output();
        return names.lines().filter(n -> n.startsWith(prefix)).toList();
    }

    private static Set<String> ids(List<Resource> resources) {
        return resources.stream().map(Resource::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The real engine, but each volume a container mounts is removed once just before the first container that mounts it. */
    private static final class VolumeRemovingEngine extends ForwardingEngine {

        final Set<String> removed = new LinkedHashSet<>();

        VolumeRemovingEngine(ContainerEngine real) {
            super(real);
        }

        @Override
        public String createContainer(ContainerPlan plan) throws EngineException {
            synchronized (this) {
                for (ContainerPlan.VolumeMount volume : plan.volumes()) {
                    if (removed.add(volume.volume())) {
                        removeExisting(volume.volume());
                    }
                }
            }
            return real.createContainer(plan);
        }

        private void removeExisting(String volume) throws EngineException {
            try {
                assertTrue(DockerCli.exists("volume", volume), "start created " + volume + " before its first container");
                real.remove(new Resource(Resource.Kind.VOLUME, volume, volume, Map.of()));
                assertFalse(DockerCli.exists("volume", volume), volume + " is gone before its container is created");
            } catch (IOException e) {
                throw new EngineException("docker CLI: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted", e);
            }
        }
    }
}
