package dev.dlb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Docker API of Docker 20.10 or of Podman 4.3 as far as creating a network and creating and inspecting one container
 * go, answered in memory: the version (which tells them apart), Podman's info (its network backend), volume, container
 * and Swarm service creation and service update (bodies kept), and one running container with a health check whose status is "starting" until Podman's health
 * check run has been called.
 */
final class FakeEngineApi implements DockerHttpClient {

    static final String CONTAINER = "c0ffee";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCKER_VERSION = """
            {"Version":"20.10.24","ApiVersion":"1.41","Components":[{"Name":"Engine","Version":"20.10.24","Details":{"ApiVersion":"1.41"}}]}""";
    private static final String PODMAN_VERSION = """
            {"Version":"4.3.1","ApiVersion":"1.41","Components":[{"Name":"Podman Engine","Version":"4.3.1",
             "Details":{"APIVersion":"4.3.1","MinAPIVersion":"4.0.0"}}]}""";

    private final boolean podman;
    private final String networkBackend;
    /** Every request, as {@code METHOD PATH}. */
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> containersCreated = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> volumesCreated = Collections.synchronizedList(new ArrayList<>());
    /** Swarm service specifications sent to create or to update a service, as sent. */
    final List<JsonNode> servicesSent = Collections.synchronizedList(new ArrayList<>());
    private volatile int healthChecksRun;

    private FakeEngineApi(boolean podman, String networkBackend) {
        this.podman = podman;
        this.networkBackend = networkBackend;
    }

    static FakeEngineApi docker() {
        return new FakeEngineApi(false, "");
    }

    static FakeEngineApi podman() {
        return new FakeEngineApi(true, "netavark");
    }

    /** Podman whose networks are made by CNI plugins (Podman's backend before netavark). */
    static FakeEngineApi podmanWithCni() {
        return new FakeEngineApi(true, "cni");
    }

    int healthChecksRun() {
        return healthChecksRun;
    }

    @Override
    public Response execute(Request request) {
        String path = request.path().replaceFirst("\\?.*", "");
        requests.add(request.method() + " " + path);
        if (path.endsWith("/version")) {
            return answer(200, podman ? PODMAN_VERSION : DOCKER_VERSION);
        }
        if (path.endsWith("/volumes/create")) {
            volumesCreated.add(body(request));
            return answer(201, "{\"Name\":\"" + body(request).path("Name").asText() + "\"}");
        }
        if (path.endsWith("/networks/create")) {
            return answer(201, "{\"Id\":\"n3tw0rk\",\"Warning\":\"\"}");
        }
        if (podman && path.equals("/v4.3.1/libpod/info")) {
            return answer(200, "{\"host\":{\"arch\":\"amd64\",\"networkBackend\":\"" + networkBackend + "\"}}");
        }
        if (path.endsWith("/containers/create")) {
            containersCreated.add(body(request));
            return answer(201, "{\"Id\":\"" + CONTAINER + "\",\"Warnings\":[]}");
        }
        if (path.endsWith("/services/create")) {
            servicesSent.add(body(request));
            return answer(201, "{\"ID\":\"s3rv1ce\"}");
        }
        if (path.endsWith("/services/s3rv1ce/update")) {
            servicesSent.add(body(request));
            return answer(200, "{\"Warnings\":[]}");
        }
        if (path.endsWith("/containers/" + CONTAINER + "/json")) {
            return answer(200, inspection());
        }
        if (podman && path.equals("/v4.3.1/libpod/containers/" + CONTAINER + "/healthcheck")) {
            healthChecksRun++;
            return answer(200, "{\"Status\":\"healthy\"}");
        }
        return answer(404, "{\"message\":\"not in this fake: " + request.method() + " " + path + "\"}");
    }

    private String inspection() {
        String health = healthChecksRun > 0 ? "healthy" : "starting";
        return """
                {"Id":"%s","Name":"/dlb-x-web-1","Config":{"Healthcheck":{"Test":["CMD","/usr/local/bin/dlb-healthcheck.sh"],
                 "Interval":2000000000}},"State":{"Status":"running","Running":true,"Health":{"Status":"%s","Log":[]}},
                 "NetworkSettings":{"Ports":{}}}""".formatted(CONTAINER, health);
    }

    private static JsonNode body(Request request) {
        try {
            return JSON.readTree(request.bodyBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response answer(int status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new Response() {
            @Override
            public int getStatusCode() {
                return status;
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                return Map.of("Content-Type", List.of("application/json"));
            }

            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }
}
