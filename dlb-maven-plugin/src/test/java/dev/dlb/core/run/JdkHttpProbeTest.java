package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.dlb.core.spec.Topology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe against a real server on the loopback. */
class JdkHttpProbeTest {

    private HttpServer server;
    private final List<String> connectionHeaders = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            connectionHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Connection")));
            byte[] body = (path.equals("/long") ? "x".repeat(JdkHttpProbe.MAX_BODY + 10) : "path " + path).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add(Topology.REPLICA_HEADER, "web-2");
            int status = switch (path) {
                case "/missing" -> 404;
                case "/moved" -> 302;
                default -> 200;
            };
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void answersWithStatusReplicaAndBody() {
        JdkHttpProbe probe = new JdkHttpProbe();
        HttpProbe.Answer answer = probe.get(url("/dlb-replica/web-2/")).orElseThrow();
        assertEquals(200, answer.status());
        assertEquals(Optional.of("web-2"), answer.replica());
        assertEquals("path /dlb-replica/web-2/", answer.body());
        HttpProbe.Answer missing = probe.get(url("/missing")).orElseThrow();
        assertEquals(404, missing.status());
        assertEquals("path /missing", missing.body(), "an error's body is read too");
    }

    @Test
    void aRedirectIsAnsweredAsItIsAndNotFollowed() {
        HttpProbe.Answer answer = new JdkHttpProbe().get(url("/moved")).orElseThrow();
        assertEquals(302, answer.status());
        assertEquals(List.of("close"), connectionHeaders, "one request, on a connection it does not keep: " + connectionHeaders);
    }

    @Test
    void aBodyIsReadUpToItsBound() {
        assertEquals(JdkHttpProbe.MAX_BODY, new JdkHttpProbe().get(url("/long")).orElseThrow().body().length());
    }

    @Test
    void aClosedPortIsNoAnswer() {
        URI gone = url("/");
        server.stop(0);
        assertEquals(Optional.empty(), new JdkHttpProbe().get(gone));
    }

    /** The JVM's proxy settings (MAVEN_OPTS may carry them) are for the build's downloads, never for the balancer. */
    @Test
    void theJvmsProxySettingsAreNotUsed() throws IOException {
        Properties saved = (Properties) System.getProperties().clone();
        try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", Integer.toString(proxy.getLocalPort()));
            System.setProperty("http.nonProxyHosts", "");
            assertEquals(200, new JdkHttpProbe().get(url("/")).orElseThrow().status());
        } finally {
            System.setProperties(saved);
        }
    }

    /** A balancer that accepts and never answers costs the read timeout, not more. */
    @Test
    void aSilentServerIsNoAnswerWithinTheReadTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long begin = System.nanoTime();
            assertEquals(Optional.empty(), new JdkHttpProbe().get(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/")));
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            assertTrue(took.compareTo(JdkHttpProbe.READ_TIMEOUT.plusSeconds(2)) < 0, "took " + took);
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
