package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What the adapter does differently when Podman answers the Docker API, each against the same request to
 * Docker: a process limit, tmpfs mounts, volumes labelled before the container, health checks run when due, and
 * internal networks refused where Podman would resolve no names on them. Over an in-memory API ({@link FakeEngineApi})
 * and a fake clock.
 */
class DockerJavaEnginePodmanTest {

    private static final Map<String, String> LABELS = Map.of("dev.dlb.project", "dev.dlb:shop", "dev.dlb.role", "web-data");
    private static final ContainerPlan PLAN = new ContainerPlan("dlb-shop-1a2b3c4d-web-1", "dlb/shop-web:1", "web-1", List.of("net"),
            Map.of(), Map.of("dev.dlb.project", "dev.dlb:shop"),
            List.of(new ContainerPlan.VolumeMount("dlb-shop-web-data", "/srv/dlb/shared", LABELS)), 80, Optional.empty(), 5,
            new ContainerPlan.Hardening(List.of("CHOWN"), 1 << 28, 512, true, Map.of("/tmp", "16m", "/etc/dlb", "1m"), 16384));

    private final AtomicLong clock = new AtomicLong();

    @Test
    void onPodmanAContainerIsGivenAProcessLimitBesideTheOpenFiles() throws Exception {
        assertEquals(List.of("nofile=16384:16384"), ulimits(created(FakeEngineApi.docker())));
        assertEquals(List.of("nofile=16384:16384", "nproc=16384:16384"), ulimits(created(FakeEngineApi.podman())));
    }

    @Test
    void onPodmanTmpfsMountsStartEmptyAndNothingElseIsWritable() throws Exception {
        assertEquals(Map.of("/etc/dlb", "rw,nosuid,nodev,size=1m", "/tmp", "rw,nosuid,nodev,size=16m"),
                tmpfs(created(FakeEngineApi.docker())));
        assertEquals(Map.of("/etc/dlb", "rw,nosuid,nodev,size=1m,notmpcopyup", "/tmp", "rw,nosuid,nodev,size=16m,notmpcopyup",
                        "/run", "ro,nosuid,nodev,noexec,size=4k,notmpcopyup", "/var/tmp", "ro,nosuid,nodev,noexec,size=4k,notmpcopyup"),
                tmpfs(created(FakeEngineApi.podman())));
    }

    @Test
    void onPodmanEveryMountedVolumeIsCreatedWithItsLabelsBeforeTheContainer() throws Exception {
        FakeEngineApi docker = FakeEngineApi.docker();
        created(docker);
        assertEquals(List.of(), docker.volumesCreated, "Docker creates it from the mount, with the mount's labels");

        FakeEngineApi podman = FakeEngineApi.podman();
        created(podman);
        assertEquals(1, podman.volumesCreated.size());
        assertEquals("dlb-shop-web-data", podman.volumesCreated.get(0).path("Name").asText());
        assertEquals(new TreeMap<>(LABELS), labels(podman.volumesCreated.get(0)));
        List<String> order = podman.requests.stream().filter(r -> r.endsWith("/create")).toList();
        assertEquals(List.of("POST /volumes/create", "POST /containers/create"), order);
    }

    @Test
    void onPodmanInspectingRunsTheHealthCheckWhenOneIsDueAtTheImagesInterval() throws Exception {
        FakeEngineApi podman = FakeEngineApi.podman();
        DockerJavaEngine engine = engine(podman);

        assertEquals(Optional.of("healthy"), engine.inspectContainer(FakeEngineApi.CONTAINER).health(), "the first inspection runs it");
        clock.addAndGet(Duration.ofMillis(1999).toNanos());
        engine.inspectContainer(FakeEngineApi.CONTAINER);
        assertEquals(1, podman.healthChecksRun(), "not again within the image's 2 s");
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        engine.inspectContainer(FakeEngineApi.CONTAINER);
        assertEquals(2, podman.healthChecksRun(), "again once 2 s passed");
    }

    @Test
    void dockerRunsItsHealthChecksItself() throws Exception {
        FakeEngineApi docker = FakeEngineApi.docker();

        ContainerState state = engine(docker).inspectContainer(FakeEngineApi.CONTAINER);

        assertEquals(Optional.of("starting"), state.health());
        assertFalse(docker.requests.stream().anyMatch(r -> r.contains("libpod")), docker.requests::toString);
    }

    @Test
    void onPodmanWithCniAnInternalNetworkIsRefusedBeforeItIsMadeNamingTheFix() throws Exception {
        FakeEngineApi cni = FakeEngineApi.podmanWithCni();

        EngineException e = assertThrows(EngineException.class, () -> engine(cni).createNetwork("dlb-shop-1a2b3c4d-web", Map.of(), true));

        assertTrue(e.getMessage().startsWith("Podman at unix:///fake.sock (test) uses the CNI network backend, which resolves no "
                + "container names on an internal network"), e::getMessage);
        assertTrue(e.getMessage().contains("Fix: use the netavark backend with aardvark-dns"), e::getMessage);
        assertFalse(cni.requests.contains("POST /networks/create"), cni.requests::toString);
        assertEquals("n3tw0rk", engine(cni).createNetwork("dlb-shop-1a2b3c4d", Map.of(), false), "a network with a route out resolves names");
    }

    @Test
    void internalNetworksAreMadeOnPodmanWithNetavarkAndOnDocker() throws Exception {
        FakeEngineApi netavark = FakeEngineApi.podman();
        FakeEngineApi docker = FakeEngineApi.docker();

        assertEquals("n3tw0rk", engine(netavark).createNetwork("dlb-shop-1a2b3c4d-web", Map.of(), true));
        assertEquals("n3tw0rk", engine(docker).createNetwork("dlb-shop-1a2b3c4d-web", Map.of(), true));

        assertTrue(netavark.requests.contains("GET /v4.3.1/libpod/info"), netavark.requests::toString);
        assertFalse(docker.requests.stream().anyMatch(r -> r.contains("libpod")), docker.requests::toString);
    }

    @Test
    void theEngineIsAskedWhichItIsOnce() throws Exception {
        FakeEngineApi podman = FakeEngineApi.podman();
        DockerJavaEngine engine = engine(podman);

        engine.createContainer(PLAN);
        engine.createContainer(PLAN);
        engine.inspectContainer(FakeEngineApi.CONTAINER);

        assertEquals(1, podman.requests.stream().filter(r -> r.endsWith("/version")).count(), podman.requests::toString);
        assertTrue(podman.healthChecksRun() > 0);
    }

    private JsonNode created(FakeEngineApi api) throws EngineException {
        engine(api).createContainer(PLAN);
        assertEquals(1, api.containersCreated.size(), api.requests::toString);
        return api.containersCreated.get(0);
    }

    private DockerJavaEngine engine(FakeEngineApi api) {
        return DockerJavaEngine.over(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///fake.sock").build(),
                api, api, api, new EngineTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)), "unix:///fake.sock (test)",
                new HealthCheckSchedule(clock::get));
    }

    private static List<String> ulimits(JsonNode container) {
        List<String> found = new ArrayList<>();
        container.path("HostConfig").path("Ulimits").forEach(u -> found.add(u.path("Name").asText() + "=" + u.path("Soft").asLong()
                + ":" + u.path("Hard").asLong()));
        return found;
    }

    private static Map<String, String> tmpfs(JsonNode container) {
        Map<String, String> found = new TreeMap<>();
        container.path("HostConfig").path("Tmpfs").fields().forEachRemaining(e -> found.put(e.getKey(), e.getValue().asText()));
        return found;
    }

    private static Map<String, String> labels(JsonNode volume) {
        Map<String, String> found = new TreeMap<>();
        volume.path("Labels").fields().forEachRemaining(e -> found.put(e.getKey(), e.getValue().asText()));
        return found;
    }
}
