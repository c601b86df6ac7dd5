package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.dlb.core.spec.Topology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.ref.Reference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe against a real server on the loopback, and the end of its client's selector thread. */
class JdkHttpProbeTest {

    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("path " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add(Topology.REPLICA_HEADER, "web-2");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200, body.length);
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
        try (JdkHttpProbe probe = new JdkHttpProbe()) {
            HttpProbe.Answer answer = probe.get(url("/dlb-replica/web-2/")).orElseThrow();
            assertEquals(200, answer.status());
            assertEquals(Optional.of("web-2"), answer.replica());
            assertEquals("path /dlb-replica/web-2/", answer.body());
            assertEquals(404, probe.get(url("/missing")).orElseThrow().status());
        }
    }

    @Test
    void aClosedPortIsNoAnswer() {
        URI gone = url("/");
        server.stop(0);
        try (JdkHttpProbe probe = new JdkHttpProbe()) {
            assertEquals(Optional.empty(), probe.get(gone));
        }
    }

    /**
     * On JDK 17 as on 21 and later: the selector thread waits in native code, and the JVM's exit would wait for it.
     * Another client's thread is not the probe's to end.
     */
    @Test
    void closeEndsItsOwnClientsSelectorThreadOnly() throws Exception {
        Set<Thread> earlier = selectorThreads();
        HttpClient other = HttpClient.newHttpClient();
        other.send(HttpRequest.newBuilder(url("/")).build(), HttpResponse.BodyHandlers.discarding());
        Thread others = newSince(earlier);
        earlier.add(others);
        JdkHttpProbe probe = new JdkHttpProbe();
        assertTrue(probe.get(url("/")).isPresent());
        Thread ours = newSince(earlier);
        probe.close();
        ours.join(2_000);
        assertFalse(ours.isAlive(), ours.getName() + " still runs after close");
        assertTrue(others.isAlive(), "another client's selector thread was ended too: " + others.getName());
        Reference.reachabilityFence(other);
    }

    /** The client is made at the first request, not before the engine is asked anything. */
    @Test
    void aProbeNeverAskedMakesNoClient() {
        Set<Thread> earlier = selectorThreads();
        new JdkHttpProbe().close();
        Set<Thread> now = selectorThreads();
        now.removeAll(earlier);
        assertEquals(Set.of(), now);
    }

    /** The one selector thread started since. */
    private static Thread newSince(Set<Thread> earlier) {
        Set<Thread> started = selectorThreads();
        started.removeAll(earlier);
        assertEquals(1, started.size(), "one new client's selector thread: " + started);
        return started.iterator().next();
    }

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().matches("HttpClient-\\d+-SelectorManager"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
