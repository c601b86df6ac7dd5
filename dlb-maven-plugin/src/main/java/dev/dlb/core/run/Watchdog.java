package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineException;
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
import java.util.function.BooleanSupplier;

/**
 * A process that outlives the Maven JVM: when that JVM ends before stop ran (failed build, Ctrl-C,
 * kill -9), it removes the session's resources. It ends by itself when stop deletes the session's
 * marker file. Runs in its own session (setsid) so that Ctrl-C in the terminal does not reach it.
 */
public final class Watchdog {

    static final Duration POLL = Duration.ofMillis(500);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    /** A create the engine was still serving when the owner died shows up a moment later; look twice. */
    static final Duration SECOND_SWEEP = Duration.ofSeconds(3);

    private Watchdog() {
    }

    /** Args: owner pid, project id, session, marker file, keep volumes (true/false). */
    public static void main(String[] args) throws InterruptedException {
        long owner = Long.parseLong(args[0]);
        String projectId = args[1];
        String session = args[2];
        Path marker = Path.of(args[3]);
        boolean keepVolumes = Boolean.parseBoolean(args[4]);
        Pacer pacer = Pacer.system();
        Outcome outcome = watch(() -> ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false),
                () -> Files.exists(marker), pacer);
        log("session " + session + ": " + outcome);
        if (outcome == Outcome.OWNER_GONE) {
            sweep(projectId, session, keepVolumes);
            pacer.sleep(SECOND_SWEEP);
            sweep(projectId, session, keepVolumes);
            deleteQuietly(marker);
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

    private static void sweep(String projectId, String session, boolean keepVolumes) {
        try (ContainerEngine engine = DockerJavaEngine.fromEnvironment()) {
            new StackStopper(engine, Watchdog::log).stopSession(projectId, session, keepVolumes);
        } catch (EngineException | RuntimeException e) {
            log("could not remove session " + session + ": " + e.getMessage());
        }
    }

    /**
     * Starts a watchdog for this JVM's session. The marker must exist already; deleting it ends the watchdog.
     *
     * @return the watchdog's pid
     */
    public static long launch(String projectId, String session, Path marker, boolean keepVolumes, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp", classpath(), Watchdog.class.getName(),
                Long.toString(ProcessHandle.current().pid()), projectId, session, marker.toString(), Boolean.toString(keepVolumes)));
        Files.createDirectories(logFile.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return process.pid();
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

    private static java.util.Optional<String> codeSource(String className, ClassLoader loader) {
        try {
            var source = Class.forName(className, false, loader).getProtectionDomain().getCodeSource();
            return source == null ? java.util.Optional.empty() : java.util.Optional.of(Path.of(source.getLocation().toURI()).toString());
        } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException | SecurityException e) {
            return java.util.Optional.empty();
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
        System.out.println(java.time.Instant.now() + " dlb-watchdog: " + message);
    }
}
