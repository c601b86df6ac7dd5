package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.engine.Resource;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A process that outlives the Maven JVM: when that JVM ends before stop ran (failed build, Ctrl-C,
 * kill -9), it removes the session's resources, trying again while the engine does not answer. It ends
 * by itself when stop deletes the session's marker file. It runs outside the build's process group, so
 * that Ctrl-C in the terminal does not reach it, talks to the engine Maven talks to, and says so before
 * start relies on it.
 */
public final class Watchdog {

    static final Duration POLL = Duration.ofMillis(500);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    /** A create the engine was still serving when the owner died shows up a moment later; look twice. */
    static final Duration SECOND_SWEEP = Duration.ofSeconds(3);
    /** How long start waits for the watchdog to say that it runs and reaches the engine. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_POLL = Duration.ofMillis(50);
    /** How long, after its owner died, the watchdog keeps trying to remove the session while the engine does not answer. */
    static final Duration SWEEP_RETRIES = Duration.ofMinutes(10);
    static final Duration SWEEP_PAUSE = Duration.ofSeconds(2);

    /** One session to watch; {@code engine} is what Maven talks to, forwarded to the watchdog. */
    public record Launch(String projectId, String session, Path marker, boolean keepVolumes, Path logFile, Path readyFile,
                         EngineSettings engine) {
    }

    /** A watchdog that said it runs: its pid, and how it was kept out of the build's process group. */
    public record Started(long pid, String detached) {
    }

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
        Optional<EngineSettings> engine = announce(Path.of(args[5]));
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

    private static void sweep(EngineSettings settings, String projectId, String session, boolean keepVolumes) throws EngineException {
        try (ContainerEngine engine = DockerJavaEngine.connect(settings)) {
            engine.ping();
            new StackStopper(engine, Watchdog::log).stopSession(projectId, session, keepVolumes);
            List<Resource> left = engine.list(Labels.session(projectId, session));
            if (!left.isEmpty()) {
                throw new EngineException("still in the engine: " + left);
            }
        }
    }

    /** Reaches the engine Maven named, then says READY or FAILED in the ready file; the settings when it is ready. */
    private static Optional<EngineSettings> announce(Path readyFile) {
        String said;
        Optional<EngineSettings> ready = Optional.empty();
        try {
            EngineSettings settings = EngineSettings.current();
            log("engine " + settings.childEnvironment() + ", " + settings.timeouts());
            try (ContainerEngine engine = DockerJavaEngine.connect(settings)) {
                engine.ping();
            }
            said = "READY " + ProcessHandle.current().pid();
            ready = Optional.of(settings);
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

    /**
     * Starts a watchdog for this JVM's session and waits until it says that it runs and reaches the engine.
     * The marker must exist already; deleting it ends the watchdog.
     */
    public static Started launch(Launch launch) throws IOException, StackException, InterruptedException {
        return launch(launch, Watchdog::program, Pacer.system());
    }

    static Started launch(Launch launch, Function<String, Optional<Path>> programs, Pacer pacer)
            throws IOException, StackException, InterruptedException {
        Files.deleteIfExists(launch.readyFile());
        List<String> detach = detachment(programs);
        Process process = processBuilder(launch, detach).start();
        try {
            long pid = awaitReady(launch, () -> process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue()), pacer);
            return new Started(pid, describe(detach));
        } catch (StackException | InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
    }

    static ProcessBuilder processBuilder(Launch launch, List<String> detach) throws IOException {
        List<String> command = new ArrayList<>(detach);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx48m", "-XX:TieredStopAtLevel=1"));
        command.addAll(launch.engine().childProperties());
        command.addAll(List.of("-cp", classpath(), Watchdog.class.getName(), Long.toString(ProcessHandle.current().pid()),
                launch.projectId(), launch.session(), launch.marker().toString(), Boolean.toString(launch.keepVolumes()),
                launch.readyFile().toString()));
        Files.createDirectories(launch.logFile().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // the engine Maven talks to, whether it was named in the environment, as a system property or as a Maven user property
        builder.environment().keySet().removeAll(EngineSettings.NAMES);
        builder.environment().putAll(launch.engine().childEnvironment());
        return builder;
    }

    /**
     * How the watchdog leaves the build's process group, which Ctrl-C reaches (the terminal sends SIGINT to
     * its foreground group). Java cannot call setsid(2) or setpgid(2) itself, so: setsid(1) where there is one
     * (a session of its own, away from the terminal's hangup too); else bash, whose job control ({@code set -m})
     * gives a background job a process group of its own even without a terminal (dash, Debian's sh, turns job
     * control off without one); else nothing, and Ctrl-C ends the watchdog with the build.
     */
    static List<String> detachment(Function<String, Optional<Path>> programs) {
        Optional<Path> setsid = programs.apply("setsid");
        if (setsid.isPresent()) {
            return List.of(setsid.get().toString());
        }
        return programs.apply("bash").map(bash -> List.of(bash.toString(), "-c", "set -m; \"$@\" &", "dlb-watchdog"))
                .orElse(List.of());
    }

    private static String describe(List<String> detach) {
        if (detach.isEmpty()) {
            return "in the build's process group: neither setsid nor bash was found, so Ctrl-C ends it too";
        }
        return detach.size() == 1 ? "in a session of its own" : "in a process group of its own";
    }

    /** Waits for the ready file: READY and the watchdog's pid, or FAILED and why. */
    static long awaitReady(Launch launch, Supplier<OptionalInt> exited, Pacer pacer) throws StackException, InterruptedException {
        long deadline = pacer.deadline(READY_TIMEOUT);
        long polls = READY_TIMEOUT.dividedBy(READY_POLL) + 1;
        for (long poll = 0; poll < polls && pacer.before(deadline); poll++) {
            String said = readQuietly(launch.readyFile()).strip();
            if (said.startsWith("READY ")) {
                return Long.parseLong(said.substring("READY ".length()).strip());
            }
            if (said.startsWith("FAILED ")) {
                throw notReady(launch, "it cannot reach the engine Maven uses: " + said.substring("FAILED ".length()));
            }
            OptionalInt exit = exited.get();
            if (exit.isPresent() && exit.getAsInt() != 0) {
                throw notReady(launch, "it ended with exit code " + exit.getAsInt() + " before it said it runs");
            }
            pacer.sleep(READY_POLL);
        }
        throw notReady(launch, "it did not say within " + READY_TIMEOUT.toSeconds() + " s that it runs");
    }

    private static StackException notReady(Launch launch, String why) {
        String tail = readQuietly(launch.logFile()).lines().reduce((a, b) -> b).orElse("(empty)");
        return new StackException("The watchdog of session " + launch.session() + " is not running: " + why + " (its log "
                + launch.logFile() + " ends: " + tail + "). Nothing was created. Fix: read that log; to go on without a watchdog, "
                + "start by hand (mvn dlb:start) and remove the stack with mvn dlb:stop");
    }

    /** An executable of that name on the PATH or in the usual directories. */
    static Optional<Path> program(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/bin", "/usr/local/bin"))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /** This class's own classpath: the plugin jar and its dependencies. */
    private static String classpath() throws IOException {
        ClassLoader loader = Watchdog.class.getClassLoader();
        if (!(loader instanceof URLClassLoader urls)) {
            return System.getProperty("java.class.path");
        }
        List<String> entries = new ArrayList<>();
        for (URL url : urls.getURLs()) {
            try {
                entries.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IOException("cannot turn " + url + " into a classpath entry", e);
            }
        }
        // docker-java logs through slf4j, which Maven provides from its own realm rather than the plugin's
        codeSource("org.slf4j.LoggerFactory", loader).filter(p -> !entries.contains(p)).ifPresent(entries::add);
        return String.join(File.pathSeparator, entries);
    }

    private static Optional<String> codeSource(String className, ClassLoader loader) {
        try {
            var source = Class.forName(className, false, loader).getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toString());
        } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static String readQuietly(Path file) {
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
