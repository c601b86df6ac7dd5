package dev.dlb.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Which engine to talk to and how long it may take: the docker CLI's variables, each from the
 * environment, a Java system property or a Maven user property (a later one wins, as in docker-java a
 * system property wins over the environment), and the {@code dlb.engine} timeouts. A child process
 * (the watchdog) gets the same, so that it reaches the same engine. {@link EngineDiscovery} turns them
 * into the engine's address; it also reads the home and runtime directories, which a child inherits.
 */
public final class EngineSettings {

    public static final List<String> NAMES = List.of("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG",
            "DOCKER_CONTEXT");

    /** One docker variable's value and where it was given: "environment variable", "system property" or "Maven user property". */
    public record Setting(String name, String value, String origin) {

        /** As messages name it: {@code environment variable DOCKER_HOST=tcp://h:p}. */
        @Override
        public String toString() {
            return origin + " " + name + "=" + value;
        }
    }

    private final Map<String, Setting> docker;
    private final EngineTimeouts timeouts;
    private final Optional<String> home;
    private final Optional<String> runtimeDirectory;

    private EngineSettings(Map<String, Setting> docker, EngineTimeouts timeouts, Optional<String> home, Optional<String> runtimeDirectory) {
        this.docker = Map.copyOf(docker);
        this.timeouts = timeouts;
        this.home = home;
        this.runtimeDirectory = runtimeDirectory;
    }

    /** This JVM's environment and system properties. */
    public static EngineSettings current() {
        return of(System.getenv(), System.getProperties(), new Properties());
    }

    public static EngineSettings of(Map<String, String> environment, Properties system, Properties user) {
        Map<String, Setting> docker = new LinkedHashMap<>();
        for (String name : NAMES) {
            given(environment.get(name)).ifPresent(v -> docker.put(name, new Setting(name, v, "environment variable")));
            given(system.getProperty(name)).ifPresent(v -> docker.put(name, new Setting(name, v, "system property")));
            given(user.getProperty(name)).ifPresent(v -> docker.put(name, new Setting(name, v, "Maven user property")));
        }
        EngineTimeouts timeouts = EngineTimeouts.of(property(EngineTimeouts.CALL_PROPERTY, system, user),
                property(EngineTimeouts.BUILD_PROPERTY, system, user));
        // the docker CLI reads $HOME; Java's user.home only where it is unset
        Optional<String> home = given(environment.get("HOME")).or(() -> given(system.getProperty("user.home")));
        return new EngineSettings(docker, timeouts, home, given(environment.get("XDG_RUNTIME_DIR")));
    }

    public Optional<String> value(String name) {
        return setting(name).map(Setting::value);
    }

    public Optional<Setting> setting(String name) {
        return Optional.ofNullable(docker.get(name));
    }

    /** The user's home directory, where ~/.docker and Docker Desktop's sockets are. */
    public Optional<String> home() {
        return home;
    }

    /** {@code $XDG_RUNTIME_DIR}, where rootless Docker and rootless Podman put their sockets. */
    public Optional<String> runtimeDirectory() {
        return runtimeDirectory;
    }

    public EngineTimeouts timeouts() {
        return timeouts;
    }

    /** The docker variables a child process needs in its environment; those not set here must be absent there. */
    public Map<String, String> childEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        NAMES.forEach(name -> value(name).ifPresent(v -> env.put(name, v)));
        return env;
    }

    /** The timeouts as system properties of a child JVM. */
    public List<String> childProperties() {
        List<String> properties = new ArrayList<>();
        properties.add("-D" + EngineTimeouts.CALL_PROPERTY + "=" + timeouts.call().toSeconds());
        properties.add("-D" + EngineTimeouts.BUILD_PROPERTY + "=" + timeouts.build().toSeconds());
        return properties;
    }

    private static Optional<String> property(String name, Properties system, Properties user) {
        return given(user.getProperty(name)).or(() -> given(system.getProperty(name)));
    }

    private static Optional<String> given(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
