package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.Labels;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Inspects a running stack as the engine reports it ({@code docker inspect}) and as a process inside
 * a container sees it ({@code docker exec}): only the balancer is published, on 127.0.0.1; the
 * replicas sit on an internal network only; least privilege and limits everywhere; a read-only
 * balancer; no version in any Server header.
 *
 * <p>Nothing here sends traffic from the host to a container's own address: on a Linux host, root can
 * route to a bridge network's addresses even when the network is internal, so what the product
 * guarantees (and this test asserts) is "not published, attached only to an internal network".
 */
class SecurityIT {

    /** Bits 0 (CHOWN), 5 (KILL), 6 (SETGID), 7 (SETUID) and 10 (NET_BIND_SERVICE): Topology.CAPABILITIES as a kernel mask. */
    private static final String CAPABILITY_MASK = "00000000000004e1";

    @Test
    void runningContainersAreHardenedAsPromised() throws Exception {
        StackSpec spec = RealStack.spec("sec-inspect");
        String session = "secinsp1";
        StackNames names = StackNames.of(spec, session);
        try (ContainerEngine engine = RealStack.engine()) {
            try {
                RunningStack stack = RealStack.start(engine, spec, session);

                Map<String, JsonNode> containers = containers(engine, spec, session);
                assertEquals(Set.of(names.container(Topology.BALANCER), names.replica(1), names.replica(2), names.replica(3)),
                        containers.keySet());
                JsonNode balancer = containers.get(names.container(Topology.BALANCER));
                assertEquals("balancer", balancer.at("/Config/Labels/" + escape(Labels.ROLE)).asText());

                // networks: the replicas' own is internal; the balancer's front network is not
                assertTrue(DockerCli.inspect("network", names.webNetwork()).get("Internal").asBoolean(), names.webNetwork());
                assertFalse(DockerCli.inspect("network", names.network()).get("Internal").asBoolean(), names.network());

                // only the balancer is published, on 127.0.0.1 only
                assertEquals(Map.of("80/tcp", List.of("127.0.0.1:0")), configuredBindings(balancer));
                assertEquals(Map.of("80/tcp", List.of("127.0.0.1:" + stack.balancerPort())), actualBindings(balancer));
                assertEquals(Set.of(names.network(), names.webNetwork()), networks(balancer));
                for (int n = 1; n <= 3; n++) {
                    JsonNode replica = containers.get(names.replica(n));
                    assertEquals("web", replica.at("/Config/Labels/" + escape(Labels.ROLE)).asText());
                    assertEquals(Map.of(), configuredBindings(replica), names.replica(n) + " asks for no published port");
                    assertEquals(Map.of(), actualBindings(replica), names.replica(n) + " has no published port");
                    assertEquals(Set.of(names.webNetwork()), networks(replica), names.replica(n) + " is on the internal network only");
                }

                // least privilege and limits, as configured and as the process inside sees it
                for (Map.Entry<String, JsonNode> c : containers.entrySet()) {
                    JsonNode host = c.getValue().get("HostConfig");
                    boolean isBalancer = c.getValue() == balancer;
                    Limits limits = isBalancer ? spec.balancer().limits() : spec.web().limits();
                    String name = c.getKey();
                    assertTrue(texts(host.get("SecurityOpt")).contains("no-new-privileges"), name + " " + host.get("SecurityOpt"));
                    assertEquals(List.of("ALL"), texts(host.get("CapDrop")).stream().map(SecurityIT::capability).toList(), name);
                    assertEquals(new TreeSet<>(Topology.CAPABILITIES),
                            new TreeSet<>(texts(host.get("CapAdd")).stream().map(SecurityIT::capability).toList()), name);
                    assertEquals(limits.memoryBytes().getAsLong(), host.get("Memory").asLong(), name + " memory");
                    assertEquals(limits.pids(), host.get("PidsLimit").asLong(), name + " pids");
                    assertFalse(host.get("Privileged").asBoolean(), name);

                    String status = DockerCli.run("exec", name, "cat", "/proc/1/status").requireSuccess("status of " + name).output();
                    assertTrue(status.contains("NoNewPrivs:\t1"), name + ": " + status);
                    assertTrue(status.contains("CapBnd:\t" + CAPABILITY_MASK), name + ": " + status);
                    assertTrue(status.contains("CapEff:\t" + CAPABILITY_MASK) || status.contains("CapEff:\t0000000000000000"),
                            name + " holds no capability beyond the five: " + status);
                }

                // every root file system is read-only, with tmpfs where confd, nginx and httpd write
                for (Map.Entry<String, JsonNode> c : containers.entrySet()) {
                    boolean isBalancer = c.getValue() == balancer;
                    JsonNode host = c.getValue().get("HostConfig");
                    assertTrue(host.get("ReadonlyRootfs").asBoolean(), c.getKey());
                    assertEquals(new TreeSet<>((isBalancer ? Topology.BALANCER_TMPFS : Topology.WEB_TMPFS).keySet()),
                            fieldNames(host.get("Tmpfs")), c.getKey());
                    DockerCli.Result write = DockerCli.sh(c.getKey(), "touch /usr/local/bin/dlb-security-probe");
                    assertNotEquals(0, write.exitCode(), write.output());
                    assertTrue(write.output().contains("Read-only file system"), write.output());
                    DockerCli.sh(c.getKey(), "touch /tmp/dlb-security-probe && rm /tmp/dlb-security-probe")
                            .requireSuccess("a write to /tmp of " + c.getKey());
                }
                String balancerName = names.container(Topology.BALANCER);

                // no version in the Server header: the balancer's own, and each replica's from inside the stack network
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                for (String path : List.of("", "no-such-page")) {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(stack.balancerUrl() + path))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(List.of("nginx"), answer.headers().allValues("server"), "/" + path);
                    assertFalse(answer.body().matches("(?s).*(nginx|Apache)/[0-9].*"), "no version in the body of /" + path);
                }
                for (String replica : stack.replicas()) {
                    for (String path : List.of("/", "/no-such-page")) {
                        Map<String, String> headers = headersFromInside(balancerName, replica, path);
                        assertEquals("Apache", headers.get("server"), replica + path + ": " + headers);
                    }
                }
                System.out.println("SecurityIT: 4 containers inspected; balancer published only on 127.0.0.1:" + stack.balancerPort());
            } finally {
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    /** The session's containers, by name, as {@code docker inspect} reports them. */
    private static Map<String, JsonNode> containers(ContainerEngine engine, StackSpec spec, String session) throws Exception {
        Map<String, JsonNode> found = new TreeMap<>();
        for (Resource r : RealStack.leftovers(engine, spec.projectId())) {
            if (r.kind() == Resource.Kind.CONTAINER && session.equals(r.labels().get(Labels.SESSION))) {
                found.put(r.name(), DockerCli.inspect("container", r.id()));
            }
        }
        return found;
    }

    /** Response headers (lower-case names) of a plain HTTP/1.0 GET sent from inside the balancer to a replica by its name. */
    private static Map<String, String> headersFromInside(String balancer, String replica, String path) throws Exception {
        String script = "exec 3<>/dev/tcp/" + replica + "/80 && printf 'GET " + path + " HTTP/1.0\\r\\nHost: " + replica
                + "\\r\\n\\r\\n' >&3 && timeout 5 cat <&3";
        String response = DockerCli.run("exec", balancer, "bash", "-c", script).requireSuccess("GET " + replica + path).output();
        String head = response.split("\r\n\r\n", 2)[0];
        List<String> lines = head.lines().toList();
        assertTrue(lines.get(0).startsWith("HTTP/1."), response);
        Map<String, String> headers = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return headers;
    }

    /** HostConfig.PortBindings as container port to host "ip:port" (port 0: any). */
    private static Map<String, List<String>> configuredBindings(JsonNode container) {
        return bindings(container.at("/HostConfig/PortBindings"));
    }

    /** NetworkSettings.Ports: what is published now; container ports with no host binding are left out. */
    private static Map<String, List<String>> actualBindings(JsonNode container) {
        return bindings(container.at("/NetworkSettings/Ports"));
    }

    private static Map<String, List<String>> bindings(JsonNode ports) {
        Map<String, List<String>> found = new TreeMap<>();
        if (ports.isMissingNode() || ports.isNull()) {
            return found;
        }
        ports.fields().forEachRemaining(e -> {
            if (e.getValue().isArray() && e.getValue().size() > 0) {
                List<String> hosts = new ArrayList<>();
                e.getValue().forEach(b -> hosts.add(b.path("HostIp").asText() + ":"
                        + (b.path("HostPort").asText().isEmpty() ? "0" : b.path("HostPort").asText())));
                found.put(e.getKey(), hosts);
            }
        });
        return found;
    }

    private static Set<String> networks(JsonNode container) {
        return fieldNames(container.at("/NetworkSettings/Networks"));
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        if (object != null && object.isObject()) {
            object.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static List<String> texts(JsonNode array) {
        if (array == null || !array.isArray()) {
            return List.of();
        }
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The engine may report capabilities with or without the CAP_ prefix. */
    private static String capability(String name) {
        return name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
    }

    /** JSON Pointer escaping for a label key (its dots need none, a slash would). */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
