package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.spec.InvalidSpecException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    @Test
    void aSystemPropertyWinsOverTheEnvironmentAndAMavenUserPropertyOverBoth() {
        EngineSettings settings = EngineSettings.of(Map.of("DOCKER_HOST", "unix:///env.sock", "DOCKER_CONFIG", "/env/docker"),
                properties("DOCKER_HOST", "tcp://127.0.0.1:2375", "DOCKER_CERT_PATH", "/sys/certs"),
                properties("DOCKER_CERT_PATH", "/user/certs"));

        assertEquals(Optional.of("tcp://127.0.0.1:2375"), settings.value("DOCKER_HOST"));
        assertEquals(Optional.of("/user/certs"), settings.value("DOCKER_CERT_PATH"));
        assertEquals(Optional.of("/env/docker"), settings.value("DOCKER_CONFIG"));
        assertEquals(Optional.empty(), settings.value("DOCKER_CONTEXT"));
    }

    @Test
    void eachSettingSaysWhereItWasGiven() {
        EngineSettings settings = EngineSettings.of(Map.of("DOCKER_HOST", "unix:///run/x.sock"), properties("DOCKER_CONTEXT", "ci"),
                properties("DOCKER_CONFIG", "/ci/docker"));

        assertEquals("environment variable DOCKER_HOST=unix:///run/x.sock", settings.setting("DOCKER_HOST").orElseThrow().toString());
        assertEquals("system property DOCKER_CONTEXT=ci", settings.setting("DOCKER_CONTEXT").orElseThrow().toString());
        assertEquals("Maven user property DOCKER_CONFIG=/ci/docker", settings.setting("DOCKER_CONFIG").orElseThrow().toString());
    }

    @Test
    void theHomeIsTheClisHomeElseJavasAndTheRuntimeDirectoryComesFromTheEnvironment() {
        EngineSettings both = EngineSettings.of(Map.of("HOME", "/home/cli", "XDG_RUNTIME_DIR", "/run/user/7"),
                properties("user.home", "/home/java"), new Properties());
        EngineSettings javaOnly = EngineSettings.of(Map.of(), properties("user.home", "/home/java"), new Properties());

        assertEquals(Optional.of("/home/cli"), both.home());
        assertEquals(Optional.of("/run/user/7"), both.runtimeDirectory());
        assertEquals(Optional.of("/home/java"), javaOnly.home());
        assertEquals(Optional.empty(), javaOnly.runtimeDirectory());
    }

    @Test
    void aChildGetsEveryDockerVariableGivenHoweverItWasGivenAndNoOther() {
        EngineSettings settings = EngineSettings.of(Map.of("DOCKER_TLS_VERIFY", "1", "PATH", "/bin"),
                properties("DOCKER_HOST", "tcp://127.0.0.1:2376", "DOCKER_CERT_PATH", "/certs"), properties("DOCKER_CONTEXT", "ci"));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("DOCKER_HOST", "tcp://127.0.0.1:2376");
        expected.put("DOCKER_TLS_VERIFY", "1");
        expected.put("DOCKER_CERT_PATH", "/certs");
        expected.put("DOCKER_CONTEXT", "ci");
        assertEquals(expected, settings.childEnvironment());
    }

    @Test
    void blankValuesCountAsUnset() {
        EngineSettings settings = settings(Map.of("DOCKER_HOST", " "), properties("DOCKER_CONTEXT", ""));

        assertEquals(Map.of(), settings.childEnvironment());
    }

    @Test
    void timeoutsHaveDefaultsAndAreForwardedToAChildJvm() {
        EngineSettings defaults = settings(Map.of(), new Properties());
        EngineSettings given = EngineSettings.of(Map.of(), properties("dlb.engine.timeout", "7"), properties("dlb.engine.buildTimeout", "90"));

        assertEquals(new EngineTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(30)), defaults.timeouts());
        assertEquals(new EngineTimeouts(Duration.ofSeconds(7), Duration.ofSeconds(90)), given.timeouts());
        assertEquals(List.of("-Ddlb.engine.timeout=7", "-Ddlb.engine.buildTimeout=90"), given.childProperties());
    }

    @Test
    void aTimeoutThatIsNoWholeNumberOfSecondsIsNamedWithItsFix() {
        for (String bad : List.of("0", "-3", "5s", "1.5")) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class,
                    () -> settings(Map.of(), properties("dlb.engine.timeout", bad)), bad);

            assertEquals(1, e.problems().size());
            assertEquals("-Ddlb.engine.timeout", e.problems().get(0).xmlPath());
            assertEquals(bad, e.problems().get(0).value());
            assertTrue(e.getMessage().contains("Fix: give seconds, such as -Ddlb.engine.timeout=30 (the default)"), e::getMessage);
        }
    }

    private static EngineSettings settings(Map<String, String> env, Properties system) {
        return EngineSettings.of(env, system, new Properties());
    }

    private static Properties properties(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }
}
