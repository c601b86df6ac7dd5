package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.EngineEndpoint.Tls;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against a stand-in machine: a directory standing for "/", with a home, a config directory and
 * real unix socket files where engines would listen (nothing listens on them: discovery only looks).
 */
class EngineDiscoveryTest {

    private static final String HOME = "/home/dev";
    private static final String RUNTIME = "/run/user/1000";
    /** What the docker CLI (28.2) wrote for {@code docker context create engines-probe --docker host=tcp://10.1.2.3:2376,skip-tls-verify=true}. */
    private static final String CLI_META_DIR = "b5efd34abd167b17d97581d50d9e8dae4a31ec41265629ba65f5bf08bbe85615";
    private static final String CLI_META = "{\"Name\":\"engines-probe\",\"Metadata\":{},\"Endpoints\":{\"docker\":"
            + "{\"Host\":\"tcp://10.1.2.3:2376\",\"SkipTLSVerify\":true}}}";

    @TempDir
    Path root;

    private final Map<String, String> env = new HashMap<>();
    private final Properties system = new Properties();
    private final Properties user = new Properties();

    @BeforeEach
    void aUserWithAHome() {
        env.put("HOME", HOME);
    }

    @Test
    void dockerHostNamesAUnixSocket() {
        env.put("DOCKER_HOST", "unix:///srv/engine.sock");

        EngineEndpoint endpoint = find();

        assertEquals(URI.create("unix:///srv/engine.sock"), endpoint.host());
        assertEquals("unix:///srv/engine.sock (environment variable DOCKER_HOST=unix:///srv/engine.sock)", endpoint.describe());
        assertFalse(endpoint.remote());
    }

    @Test
    void dockerHostOverTcpWithTlsFromTheCertPath() {
        env.put("DOCKER_HOST", "tcp://engine.example:2376");
        env.put("DOCKER_TLS_VERIFY", "1");
        system.setProperty("DOCKER_CERT_PATH", "/etc/engine-certs");

        EngineEndpoint endpoint = find();

        assertEquals(URI.create("tcp://engine.example:2376"), endpoint.host());
        assertEquals(Optional.of(new Tls(Path.of("/etc/engine-certs"), true)), endpoint.tls());
        assertTrue(endpoint.remote());
        assertEquals(Optional.of("engine.example"), endpoint.hostName());
        assertEquals("tcp://engine.example:2376 (environment variable DOCKER_HOST=tcp://engine.example:2376; TLS, verifying the "
                + "engine's certificate, files from /etc/engine-certs)", endpoint.describe());
    }

    @Test
    void tlsWithoutACertPathTakesItsFilesFromTheConfigDirectoryAsTheCliDoes() {
        env.put("DOCKER_HOST", "tcp://engine.example");
        env.put("DOCKER_TLS_VERIFY", "0"); // the CLI turns TLS on for any value

        assertEquals(Optional.of(new Tls(Path.of(HOME, ".docker"), true)), find().tls());

        env.put("DOCKER_CONFIG", "/etc/docker-client");
        assertEquals(Optional.of(new Tls(Path.of("/etc/docker-client"), true)), find().tls());
    }

    @Test
    void aTcpAddressWithoutAPortGetsTheClisDefaultPortAndNoTlsUnlessAskedFor() {
        env.put("DOCKER_HOST", "tcp://[fd00::7]");

        EngineEndpoint endpoint = find();

        assertEquals(URI.create("tcp://[fd00::7]:2375"), endpoint.host());
        assertEquals(Optional.of("fd00::7"), endpoint.hostName());
        assertEquals(Optional.empty(), endpoint.tls());
    }

    @Test
    void aMavenUserPropertyBeatsTheEnvironment() {
        env.put("DOCKER_HOST", "unix:///from/env.sock");
        user.setProperty("DOCKER_HOST", "tcp://127.0.0.1:2375");

        assertEquals("tcp://127.0.0.1:2375 (Maven user property DOCKER_HOST=tcp://127.0.0.1:2375)", find().describe());
    }

    @Test
    void dockerHostBeatsDockerContextWhichBeatsTheCurrentContextWhichBeatsTheSockets() throws IOException {
        context(Path.of(HOME, ".docker"), "named", "tcp://10.0.0.1:2375", false);
        context(Path.of(HOME, ".docker"), "current", "tcp://10.0.0.2:2375", false);
        currentContext(Path.of(HOME, ".docker"), "current");
        socket("/var/run/docker.sock");
        env.put("DOCKER_CONTEXT", "named");
        env.put("DOCKER_HOST", "tcp://10.0.0.3:2375");

        assertEquals(URI.create("tcp://10.0.0.3:2375"), find().host());
        env.remove("DOCKER_HOST");
        assertEquals(URI.create("tcp://10.0.0.1:2375"), find().host());
        env.remove("DOCKER_CONTEXT");
        assertEquals(URI.create("tcp://10.0.0.2:2375"), find().host());
        Files.delete(onDisk(Path.of(HOME, ".docker", "config.json")));
        assertEquals(URI.create("unix:///var/run/docker.sock"), find().host());
    }

    @Test
    void dockerContextReadsTheContextAsTheDockerCliWroteIt() throws IOException {
        Path meta = onDisk(Path.of(HOME, ".docker", "contexts", "meta", CLI_META_DIR, "meta.json"));
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, CLI_META);
        env.put("DOCKER_CONTEXT", "engines-probe");

        EngineEndpoint endpoint = find();

        assertEquals(URI.create("tcp://10.1.2.3:2376"), endpoint.host());
        assertEquals(Optional.of(new Tls(Path.of(HOME, ".docker", "contexts", "tls", CLI_META_DIR, "docker"), false)), endpoint.tls(),
                "SkipTLSVerify: TLS without verifying the engine");
        assertEquals("docker context engines-probe, named by environment variable DOCKER_CONTEXT=engines-probe, from "
                + Path.of(HOME, ".docker", "contexts", "meta", CLI_META_DIR, "meta.json"), endpoint.why());
    }

    @Test
    void aContextsTlsFilesAreUsedAndVerifiedUnlessItSkipsVerification() throws IOException {
        Path config = Path.of("/etc/docker-client");
        env.put("DOCKER_CONFIG", config.toString());
        Path tls = context(config, "secure", "tcp://engine.example:2376", false);
        Files.createDirectories(onDisk(tls));
        Files.writeString(onDisk(tls.resolve("ca.pem")), "");
        user.setProperty("DOCKER_CONTEXT", "secure");

        assertEquals(Optional.of(new Tls(tls, true)), find().tls());

        context(config, "plain", "tcp://engine.example:2375", false);
        user.setProperty("DOCKER_CONTEXT", "plain");
        assertEquals(Optional.empty(), find().tls(), "a context without TLS files speaks plain HTTP");
    }

    @Test
    void theCurrentContextComesFromTheConfigFileOfDockerConfig() throws IOException {
        Path config = Path.of("/etc/docker-client");
        context(config, "desktop-linux", "unix:///home/dev/.docker/desktop/docker.sock", false);
        currentContext(config, "desktop-linux");
        env.put("DOCKER_CONFIG", config.toString());

        EngineEndpoint endpoint = find();

        assertEquals(URI.create("unix:///home/dev/.docker/desktop/docker.sock"), endpoint.host());
        assertTrue(endpoint.why().startsWith("docker context desktop-linux, the current context in /etc/docker-client/config.json"),
                endpoint::why);
    }

    @Test
    void theDefaultContextMeansTheDefaultSocket() throws IOException {
        socket("/var/run/docker.sock");
        currentContext(Path.of(HOME, ".docker"), "default");

        EngineEndpoint endpoint = find();

        assertEquals(URI.create("unix:///var/run/docker.sock"), endpoint.host());
        assertEquals("docker context default, the current context in /home/dev/.docker/config.json: the default socket", endpoint.why());
    }

    @Test
    void withNothingSetTheSocketsAreTriedInOrder() throws IOException {
        env.put("XDG_RUNTIME_DIR", RUNTIME);
        List<String> order = List.of(HOME + "/.docker/run/docker.sock", HOME + "/.docker/desktop/docker.sock", RUNTIME + "/docker.sock",
                "/run/user/4242/docker.sock", "/var/run/docker.sock", RUNTIME + "/podman/podman.sock", "/run/podman/podman.sock");
        for (String socket : order) {
            socket(socket);
        }
        for (String socket : order) {
            assertEquals(URI.create("unix://" + socket), find().host());
            Files.delete(onDisk(Path.of(socket)));
        }
        assertEquals("DOCKER_HOST unset and no docker context, and no engine socket found (looked for " + String.join(", ", order)
                + "): the default socket", find().why());
    }

    @Test
    void theLogSaysWhichSocketWasTakenAndWhy() throws IOException {
        socket("/run/podman/podman.sock");

        assertEquals("unix:///run/podman/podman.sock (DOCKER_HOST unset and no docker context: Podman's socket)", find().describe());
        socket(HOME + "/.docker/desktop/docker.sock");
        assertEquals("unix:///home/dev/.docker/desktop/docker.sock (DOCKER_HOST unset and no docker context: Docker Desktop's socket)",
                find().describe());
    }

    @Test
    void aFileThatIsNoSocketIsNoEngine() throws IOException {
        socket("/run/podman/podman.sock");
        Path stale = onDisk(Path.of("/var/run/docker.sock"));
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "");

        assertEquals(URI.create("unix:///run/podman/podman.sock"), find().host());
    }

    @Test
    void aContextThatDoesNotExistIsNamedWithItsSettingAndFix() {
        env.put("DOCKER_CONTEXT", "gone");

        InvalidSpecException e = assertThrows(InvalidSpecException.class, this::find);

        Problem problem = e.problems().get(0);
        assertEquals("DOCKER_CONTEXT (environment variable)", problem.xmlPath());
        assertEquals("gone", problem.value());
        assertTrue(problem.reason().startsWith("no such docker context: /home/dev/.docker/contexts/meta/"), problem::reason);
        assertTrue(problem.fix().contains("docker context ls"), problem::fix);
    }

    @Test
    void anSshEngineIsRefusedWithAWayToReachIt() {
        system.setProperty("DOCKER_HOST", "ssh://dev@build-box");

        Problem problem = assertThrows(InvalidSpecException.class, this::find).problems().get(0);

        assertEquals("DOCKER_HOST (system property)", problem.xmlPath());
        assertTrue(problem.fix().contains("ssh -NL 127.0.0.1:2375:/var/run/docker.sock USER@HOST"), problem::fix);
    }

    @Test
    void anAddressTheCliWouldRefuseIsRefused() {
        for (String bad : List.of("/var/run/docker.sock", "http://engine:2375", "tcp://", "tcp://under_score:2375")) {
            env.put("DOCKER_HOST", bad);

            Problem problem = assertThrows(InvalidSpecException.class, this::find, bad).problems().get(0);

            assertEquals(bad, problem.value());
            assertEquals("use unix:///path/to/docker.sock or tcp://HOST:PORT", problem.fix());
        }
    }

    @Test
    void aConfigFileThatIsNoJsonIsNamed() throws IOException {
        Path config = onDisk(Path.of(HOME, ".docker", "config.json"));
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{ not json");

        Problem problem = assertThrows(InvalidSpecException.class, this::find).problems().get(0);

        assertEquals("/home/dev/.docker/config.json", problem.xmlPath());
        assertTrue(problem.reason().startsWith("the docker CLI's configuration cannot be read"), problem::reason);
    }

    private EngineEndpoint find() {
        return new EngineDiscovery(root, OptionalInt.of(4242)).find(EngineSettings.of(env, system, user));
    }

    /** Writes a context as the docker CLI does; returns where its TLS files would be. */
    private Path context(Path config, String name, String host, boolean skipTlsVerify) throws IOException {
        String sha = HexFormat.of().formatHex(sha256(name));
        Path meta = onDisk(config.resolve("contexts/meta").resolve(sha).resolve("meta.json"));
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + host
                + "\",\"SkipTLSVerify\":" + skipTlsVerify + "}}}");
        return config.resolve("contexts/tls").resolve(sha).resolve("docker");
    }

    private void currentContext(Path config, String name) throws IOException {
        Path file = onDisk(config.resolve("config.json"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\n\t\"auths\": {},\n\t\"currentContext\": \"" + name + "\"\n}");
    }

    /** A real unix socket file, as an engine leaves it; nothing listens on it once the channel is closed. */
    private void socket(String path) throws IOException {
        Path file = onDisk(Path.of(path));
        Files.createDirectories(file.getParent());
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(file));
        }
    }

    private Path onDisk(Path machinePath) {
        return root.resolve(machinePath.getRoot().relativize(machinePath));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
