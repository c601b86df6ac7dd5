package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineDiscovery;
import dev.dlb.core.engine.EngineEndpoint;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.engine.EngineTimeouts;
import dev.dlb.core.engine.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A process that outlives the Maven JVM: when that JVM ends before stop ran (failed build, Ctrl-C,
 * kill -9), it removes the session's resources, trying again while the engine does not answer. It ends
 * by itself when stop deletes the session's marker file. {@link WatchdogLauncher} starts it outside the
 * build's process group, with the engine settings Maven uses; it says in its ready file whether it reaches
 * that engine before start relies on it.
 */
public final class Watchdog {

    static final Duration POLL = Duration.ofMillis(500);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    /** A create the engine was still serving when the owner died shows up a moment later; look twice. */
    static final Duration SECOND_SWEEP = Duration.ofSeconds(3);
    /** How long, after its owner died, the watchdog keeps trying to remove the session while the engine does not answer. */
    static final Duration SWEEP_RETRIES = Duration.ofMinutes(10);
    static final Duration SWEEP_PAUSE = Duration.ofSeconds(2);

    /** One attempt to remove the session; fails while the engine does not answer. */
    @FunctionalInterface
    interface Sweep {
        void run() throws EngineException;
    }

    private Watchdog() {
    }

    /** Args: owner pid, project id, session, marker file, keep volumes (true/false), ready file. */
    public static void main(String[] args) throws InterruptedException {
        long owner = Long.parseLong(args[0]);
        String projectId = args[1];
        String session = args[2];
        Path marker = Path.of(args[3]);
        boolean keepVolumes = Boolean.parseBoolean(args[4]);
        Optional<Engine> engine = announce(Path.of(args[5]));
        if (engine.isEmpty()) {
            return;
        }
        Pacer pacer = Pacer.system();
        Outcome outcome = watch(() -> ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false),
                () -> Files.exists(marker), pacer);
        log("session " + session + ": " + outcome);
        if (outcome == Outcome.OWNER_GONE) {
            removeSession(() -> sweep(engine.get(), projectId, session, keepVolumes), session, pacer);
            deleteQuietly(marker);
        }
    }

    private static void removeSession(Sweep sweep, String session, Pacer pacer) throws InterruptedException {
        if (!sweepUntilDone(sweep, pacer)) {
            log("could not remove session " + session + " within " + SWEEP_RETRIES.toMinutes() + " min; mvn dlb:stop removes it");
            return;
        }
        pacer.sleep(SECOND_SWEEP);
        try {
            sweep.run();
        } catch (EngineException e) {
            log("could not remove session " + session + " on the second look: " + e.getMessage());
        }
    }

    public enum Outcome { OWNER_GONE, STOPPED_NORMALLY, EXPIRED }

    /** Waits until the owner is gone or the marker removed, polling with the given pacer. */
    static Outcome watch(BooleanSupplier ownerAlive, BooleanSupplier markerPresent, Pacer pacer) throws InterruptedException {
        long deadline = pacer.deadline(MAX_LIFETIME);
        while (pacer.before(deadline)) {
            if (!markerPresent.getAsBoolean()) {
                return Outcome.STOPPED_NORMALLY;
            }
            if (!ownerAlive.getAsBoolean()) {
                return markerPresent.getAsBoolean() ? Outcome.OWNER_GONE : Outcome.STOPPED_NORMALLY;
            }
            pacer.sleep(POLL);
        }
        return Outcome.EXPIRED;
    }

    /** Tries the sweep until it works, pausing between attempts, for at most {@link #SWEEP_RETRIES}. */
    static boolean sweepUntilDone(Sweep sweep, Pacer pacer) throws InterruptedException {
        long deadline = pacer.deadline(SWEEP_RETRIES);
        long attempts = SWEEP_RETRIES.dividedBy(SWEEP_PAUSE) + 1;
        for (long attempt = 1; attempt <= attempts; attempt++) {
            try {
                sweep.run();
                return true;
            } catch (EngineException e) {
                log("attempt " + attempt + " to remove the session failed: " + e.getMessage());
            }
            if (!pacer.before(deadline)) {
                break;
            }
            pacer.sleep(SWEEP_PAUSE);
        }
        return false;
    }

    private static void sweep(Engine target, String projectId, String session, boolean keepVolumes) throws EngineException {
        try (ContainerEngine engine = DockerJavaEngine.connect(target.endpoint(), target.timeouts())) {
            engine.ping();
            new StackStopper(engine, Watchdog::log).stopSession(projectId, session, keepVolumes);
            List<Resource> left = engine.list(Labels.session(projectId, session));
            if (!left.isEmpty()) {
                throw new EngineException("still in the engine: " + left);
            }
        }
    }

    /** The engine found once, when the watchdog starts, so that a context changed later does not move it elsewhere. */
    private record Engine(EngineEndpoint endpoint, EngineTimeouts timeouts) {
    }

    /** Reaches the engine Maven named, then says READY or FAILED in the ready file; that engine when it is ready. */
    private static Optional<Engine> announce(Path readyFile) {
        String said;
        Optional<Engine> ready = Optional.empty();
        try {
            EngineSettings settings = EngineSettings.current();
            log("engine " + settings.childEnvironment() + ", " + settings.timeouts());
            Engine engine = new Engine(EngineDiscovery.onThisMachine().find(settings), settings.timeouts());
            log("engine found: " + engine.endpoint().describe());
            try (ContainerEngine connected = DockerJavaEngine.connect(engine.endpoint(), engine.timeouts())) {
                connected.ping();
            }
            said = "READY " + ProcessHandle.current().pid();
            ready = Optional.of(engine);
        } catch (EngineException | RuntimeException e) {
            said = "FAILED " + e.getMessage();
        }
        log(said);
        try {
            Path partial = readyFile.resolveSibling(readyFile.getFileName() + ".partial");
            Files.writeString(partial, said.replace('\n', ' ') + "\n");
            Files.move(partial, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log("cannot write " + readyFile + ": " + e.getMessage());
            return Optional.empty();
        }
        return ready;
    }

    static String readQuietly(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log("could not delete " + file + ": " + e.getMessage());
        }
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " dlb-watchdog: " + message);
    }
}
