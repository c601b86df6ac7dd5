package dev.dlb.core.run;

import dev.dlb.core.engine.EngineSettings;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Starts a {@link Watchdog} for this JVM's session, outside the build's process group and with the
 * engine settings Maven uses, and waits until it says that it runs and reaches that engine.
 */
public final class WatchdogLauncher {

    /** How long start waits for the watchdog to say that it runs and reaches the engine. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_POLL = Duration.ofMillis(50);

    /** One session to watch; {@code engine} is what Maven talks to, forwarded to the watchdog. */
    public record Launch(String projectId, String session, Path marker, boolean keepVolumes, Path logFile, Path readyFile,
                         EngineSettings engine) {
    }

    /** A watchdog that said it runs: its pid, and how it was kept out of the build's process group. */
    public record Started(long pid, String detached) {
    }

    private WatchdogLauncher() {
    }

    /**
     * Starts a watchdog for this JVM's session and waits until it says that it runs and reaches the engine.
     * The marker must exist already; deleting it ends the watchdog.
     */
    public static Started launch(Launch launch) throws IOException, StackException, InterruptedException {
        return begin(launch).awaitReady();
    }

    /** Starts a watchdog for this JVM's session; the caller goes on with other work, then awaits it. The marker must exist already. */
    public static Pending begin(Launch launch) throws IOException {
        return begin(launch, WatchdogLauncher::program, Pacer.system());
    }

    static Started launch(Launch launch, Function<String, Optional<Path>> programs, Pacer pacer)
            throws IOException, StackException, InterruptedException {
        return begin(launch, programs, pacer).awaitReady();
    }

    static Pending begin(Launch launch, Function<String, Optional<Path>> programs, Pacer pacer) throws IOException {
        Files.deleteIfExists(launch.readyFile());
        List<String> detach = detachment(programs);
        return new Pending(launch, processBuilder(launch, detach).start(), detach, pacer);
    }

    /** A watchdog started, not yet known to run. */
    public static final class Pending {

        private final Launch launch;
        private final Process process;
        private final List<String> detach;
        private final Pacer pacer;

        private Pending(Launch launch, Process process, List<String> detach, Pacer pacer) {
            this.launch = launch;
            this.process = process;
            this.detach = detach;
            this.pacer = pacer;
        }

        /** Waits until it says that it runs and reaches the engine; if it does not, it is ended. */
        public Started awaitReady() throws StackException, InterruptedException {
            try {
                long pid = WatchdogLauncher.awaitReady(launch, () -> process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue()),
                        pacer);
                return new Started(pid, describe(detach));
            } catch (StackException | InterruptedException e) {
                abandon();
                throw e;
            }
        }

        /** Ends it, whatever it said. */
        public void abandon() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
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
            String said = Watchdog.readQuietly(launch.readyFile()).strip();
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
        String tail = Watchdog.readQuietly(launch.logFile()).lines().reduce((a, b) -> b).orElse("(empty)");
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
        ClassLoader loader = WatchdogLauncher.class.getClassLoader();
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
}
