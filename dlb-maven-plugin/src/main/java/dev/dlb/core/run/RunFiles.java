package dev.dlb.core.run;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The run's state in target/dlb: {@code session.properties} (written before anything is created, so a
 * later stop can always find the session) and {@code balancer.properties} (the URL and port for tests).
 */
public final class RunFiles {

    public static final String URL_PROPERTY = "dlb.balancer.url";
    public static final String PORT_PROPERTY = "dlb.balancer.port";
    public static final String REPLICAS_PROPERTY = "dlb.stack.replicas";

    private final Path dir;

    public RunFiles(Path dir) {
        this.dir = dir;
    }

    public Path sessionFile() {
        return dir.resolve("session.properties");
    }

    /** Exists while a session is up; its watchdog ends when stop deletes it. */
    public Path markerFile(String session) {
        return dir.resolve("session-" + session + ".alive");
    }

    /** Held locked by the JVM that owns the session, for as long as it runs ({@link SessionLocks}). */
    public Path lockFile(String session) {
        return dir.resolve("session-" + session + ".lock");
    }

    public Path watchdogLog(String session) {
        return dir.resolve("watchdog-" + session + ".log");
    }

    /** The watchdog writes here that it runs (READY pid) or why it cannot (FAILED reason); start waits for it. */
    public Path watchdogReadyFile(String session) {
        return dir.resolve("watchdog-" + session + ".ready");
    }

    public Path balancerFile() {
        return dir.resolve("balancer.properties");
    }

    public void writeSession(String projectId, String session) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(markerFile(session), projectId + "\n");
        Properties p = new Properties();
        p.setProperty("project", projectId);
        p.setProperty("session", session);
        write(sessionFile(), p);
    }

    public Optional<String> readSession() throws IOException {
        if (!Files.isRegularFile(sessionFile())) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(sessionFile())) {
            p.load(in);
        }
        return Optional.ofNullable(p.getProperty("session"));
    }

    public void writeBalancer(RunningStack stack) throws IOException {
        Properties p = new Properties();
        p.setProperty(URL_PROPERTY, stack.balancerUrl());
        p.setProperty(PORT_PROPERTY, Integer.toString(stack.balancerPort()));
        p.setProperty("dlb.session", stack.session());
        p.setProperty("dlb.web.replicas", String.join(",", stack.replicas()));
        write(balancerFile(), p);
    }

    public Path imagesFile() {
        return dir.resolve("images.properties");
    }

    /** What the last build-images did, per role: the tag and whether it was built or found up to date. */
    public void writeImages(java.util.Map<String, ImageBuilder.Outcome> outcomes) throws IOException {
        Properties p = new Properties();
        outcomes.forEach((role, o) -> {
            p.setProperty(role + ".image", o.tag());
            p.setProperty(role + ".built", Boolean.toString(o.built()));
        });
        write(imagesFile(), p);
    }

    public void clear() throws IOException {
        Optional<String> session = readSession();
        if (session.isPresent()) {
            Files.deleteIfExists(markerFile(session.get()));
            Files.deleteIfExists(watchdogReadyFile(session.get()));
            SessionLocks.release(lockFile(session.get()));
        }
        Files.deleteIfExists(sessionFile());
        Files.deleteIfExists(balancerFile());
    }

    private static void write(Path file, Properties p) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "written by dlb-maven-plugin");
        }
    }
}
