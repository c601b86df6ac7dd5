package dev.dlb.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Runs against the stack dlb:start brought up; the balancer's URL comes from ${dlb.balancer.url}. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancedStackIT {

    private static final String HEADER = "X-Dlb-Replica";
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(120);
    private static final Duration HOLD_POLL = Duration.ofMillis(200);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI balancer = URI.create(required("dlb.balancer.url"));
    private final int replicas = Integer.parseInt(required("dlb.stack.replicas"));

    @Test
    void balancerIsPublishedOnLoopbackOnly() {
        assertEquals("127.0.0.1", balancer.getHost(), "the balancer must be published on 127.0.0.1 by default");
    }

    @Test
    void everyReplicaAnswersInTurnWithItsOwnConfdRenderedPage() throws Exception {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3 * replicas; i++) {
            HttpResponse<String> response = get("/");
            assertEquals(200, response.statusCode(), "GET / through the balancer");
            String replica = response.headers().firstValue(HEADER).orElse(null);
            assertNotNull(replica, "every answer names its replica in " + HEADER);
            String number = replica.substring("web-".length());
            assertTrue(response.body().contains("<h1>server " + number + "</h1>"),
                    replica + " must serve its own page rendered by confd at start, got: " + response.body());
            order.add(replica);
        }
        assertEquals(replicas, new HashSet<>(order).size(), "distinct replicas seen in " + order);
        for (int start = 0; start + replicas <= order.size(); start++) {
            Set<String> window = new HashSet<>(order.subList(start, start + replicas));
            assertEquals(replicas, window.size(), "round robin: any " + replicas + " consecutive answers come from "
                    + replicas + " different replicas, got " + order);
        }
    }

    @Test
    void environmentValuesAreRenderedAtContainerStart() throws Exception {
        String greeting = required("example.greeting");
        Map<String, String> roles = new TreeMap<>();
        for (int i = 0; i < 2 * replicas; i++) {
            HttpResponse<String> response = get("/greeting.html");
            assertEquals(200, response.statusCode());
            String replica = response.headers().firstValue(HEADER).orElseThrow();
            String n = replica.substring("web-".length());
            assertTrue(response.body().contains(greeting + " from server " + n),
                    "the greeting comes from the environment (" + greeting + "), got: " + response.body());
            roles.put(replica, response.body().replaceAll("(?s).*<p id=\"role\">([^<]*)</p>.*", "$1"));
        }
        assertEquals(replicas, roles.size(), "every replica rendered the greeting: " + roles);
        assertEquals("primary", roles.get("web-1"), "per-replica environment reaches replica 1 only: " + roles);
        roles.forEach((replica, role) -> assertEquals(replica.equals("web-1") ? "primary" : "replica", role, replica));
    }

    @Test
    void staticContentAndHealthPathAreServedByEveryReplica() throws Exception {
        Set<String> healthy = new HashSet<>();
        for (int i = 0; i < 2 * replicas; i++) {
            HttpResponse<String> about = get("/about.html");
            assertEquals(200, about.statusCode());
            assertTrue(about.body().contains("Static content"), about.body());
            HttpResponse<String> health = get("/dlb-health");
            assertEquals(200, health.statusCode());
            String replica = health.headers().firstValue(HEADER).orElseThrow();
            assertEquals("ok " + replica, health.body().strip(), "the health page names the replica that answered");
            healthy.add(replica);
        }
        assertEquals(replicas, healthy.size(), "health answers came from every replica: " + healthy);
    }

    @Test
    void serverSoftwareIsNotAdvertised() throws Exception {
        HttpResponse<String> response = get("/");
        String server = response.headers().firstValue("Server").orElse("");
        assertFalse(server.matches(".*[0-9].*"), "no version in the Server header, got '" + server + "'");
    }

    @Test
    void changedValuesNeededNoImageRebuild() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("example.expectNoRebuild"), "only on a run that changed values, not sources");
        Properties images = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(required("example.imagesFile")))) {
            images.load(in);
        }
        assertEquals("false", images.getProperty("web.built"), "the web image was up to date: " + images);
        assertEquals("false", images.getProperty("balancer.built"), "the balancer image was up to date: " + images);
    }

    /**
     * Opt-in ({@code mvn verify -Dexample.hold=PATH}), after every other test: writes PATH.waiting (the balancer's URL) and keeps the
     * stack up until PATH exists, at most {@link #HOLD_LIMIT}, so that a script can act while stacks of several checkouts run.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void holdsTheStackUpUntilReleasedWhenAsked() throws Exception {
        String hold = System.getProperty("example.holdFile", "");
        Assumptions.assumeFalse(hold.isBlank() || hold.startsWith("${"), "only when a script holds the stack (example.holdFile)");
        Path waiting = Path.of(hold + ".waiting");
        Path written = Files.writeString(Path.of(hold + ".writing"), balancer + "\n");
        Files.move(written, waiting, StandardCopyOption.ATOMIC_MOVE);
        Path release = Path.of(hold);
        for (long i = HOLD_LIMIT.dividedBy(HOLD_POLL); i > 0 && !Files.exists(release); i--) {
            Thread.sleep(HOLD_POLL.toMillis());
        }
        assertTrue(Files.exists(release), "nobody created " + release + " within " + HOLD_LIMIT.toSeconds() + " s to end the hold");
        assertEquals(200, get("/").statusCode(), "the stack still answers after the hold");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(balancer.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " is not set; run through mvn verify so dlb:start sets it");
        }
        return value;
    }
}
