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
 * (the watchdog) gets the same, so that it reaches the same engine.
 */
public final class EngineSettings {

    public static final List<String> NAMES = List.of("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG",
            "DOCKER_CONTEXT");
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private record Setting(String value, String origin) {
    }

    private final Map<String, Setting> docker;
    private final EngineTimeouts timeouts;

    private EngineSettings(Map<String, Setting> docker, EngineTimeouts timeouts) {
        this.docker = Map.copyOf(docker);
        this.timeouts = timeouts;
    }

    /** This JVM's environment and system properties. */
    public static EngineSettings current() {
        return of(System.getenv(), System.getProperties(), new Properties());
    }

    public static EngineSettings of(Map<String, String> environment, Properties system, Properties user) {
        Map<String, Setting> docker = new LinkedHashMap<>();
        for (String name : NAMES) {
            given(environment.get(name)).ifPresent(v -> docker.put(name, new Setting(v, "environment variable")));
            given(system.getProperty(name)).ifPresent(v -> docker.put(name, new Setting(v, "system property")));
            given(user.getProperty(name)).ifPresent(v -> docker.put(name, new Setting(v, "Maven user property")));
        }
        EngineTimeouts timeouts = EngineTimeouts.of(property(EngineTimeouts.CALL_PROPERTY, system, user),
                property(EngineTimeouts.BUILD_PROPERTY, system, user));
        return new EngineSettings(docker, timeouts);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(docker.get(name)).map(Setting::value);
    }

    public EngineTimeouts timeouts() {
        return timeouts;
    }

    /** The engine's address and where it came from, as messages name it: {@code tcp://h:p (system property DOCKER_HOST=tcp://h:p)}. */
    public String describe(String resolvedHost) {
        Setting host = docker.get("DOCKER_HOST");
        if (host != null) {
            return resolvedHost + " (" + host.origin() + " DOCKER_HOST=" + host.value() + ")";
        }
        Setting context = docker.get("DOCKER_CONTEXT");
        if (context != null) {
            return resolvedHost + " (docker context of " + context.origin() + " DOCKER_CONTEXT=" + context.value() + ")";
        }
        return resolvedHost + (DEFAULT_HOST.equals(resolvedHost) ? " (DOCKER_HOST unset: the default socket)"
                : " (DOCKER_HOST unset: docker's current context)");
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
