package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Swarm service specification docker-java sends for a plan, over an in-memory API ({@link FakeEngineApi}): the
 * hardening fields of API 1.41 that docker-java 3.5.3's model lacks (capabilities, the open-file limit, the pids limit)
 * are in what a create and an update send, beside the fields docker-java does know.
 */
class DockerJavaEngineSwarmTest {

    private static final ServicePlan.UpdatePolicy POLICY = new ServicePlan.UpdatePolicy(1, Duration.ZERO, true, "rollback", Duration.ofSeconds(5));
    private static final ServicePlan PLAN = new ServicePlan("shop_web", "reg:5000/dlb/shop-web:1", Map.of("dev.dlb.project", "g:shop"), 3,
            Optional.of("web-{{.Task.Slot}}"), Map.of("A", "1"), List.of("shop_dlb"), "web", true, Optional.empty(), List.of(),
            Map.of("/tmp", 1L << 20), new ServicePlan.Hardening(true, List.of("ALL"), List.of("CHOWN", "SETUID", "KILL"), 16384),
            List.of(), new ServicePlan.Resources(256L << 20, 0, 128), Duration.ofSeconds(10), POLICY, POLICY);

    @Test
    void aCreatedServiceDropsEveryCapabilityButTheKeptOnesAndLimitsOpenFilesAndProcesses() throws Exception {
        FakeEngineApi api = FakeEngineApi.docker();

        assertEquals("s3rv1ce", engine(api).createService(PLAN, Optional.empty()));

        JsonNode task = api.servicesSent.get(0).path("TaskTemplate");
        JsonNode container = task.path("ContainerSpec");
        assertEquals(List.of("ALL"), strings(container.path("CapabilityDrop")));
        assertEquals(List.of("CAP_CHOWN", "CAP_SETUID", "CAP_KILL"), strings(container.path("CapabilityAdd")));
        assertEquals("[{\"Name\":\"nofile\",\"Soft\":16384,\"Hard\":16384}]", container.path("Ulimits").toString());
        assertEquals(true, container.path("ReadOnly").asBoolean());
        assertEquals(128, task.path("Resources").path("Limits").path("Pids").asLong());
        assertEquals(256L << 20, task.path("Resources").path("Limits").path("MemoryBytes").asLong());
    }

    @Test
    void anUpdateSendsTheSameHardening() throws Exception {
        FakeEngineApi api = FakeEngineApi.docker();

        engine(api).updateService("s3rv1ce", 7, PLAN.withReplicas(5), Optional.empty());

        JsonNode sent = api.servicesSent.get(0);
        assertEquals(5, sent.path("Mode").path("Replicated").path("Replicas").asInt());
        assertEquals(List.of("ALL"), strings(sent.path("TaskTemplate").path("ContainerSpec").path("CapabilityDrop")));
        assertEquals(128, sent.path("TaskTemplate").path("Resources").path("Limits").path("Pids").asLong());
    }

    @Test
    void aPlanWithoutHardeningSendsNoneOfItsFields() throws Exception {
        FakeEngineApi api = FakeEngineApi.docker();
        ServicePlan plain = new ServicePlan("shop_web", "img", Map.of(), 1, Optional.empty(), Map.of(), List.of(), "web", true, Optional.empty(),
                List.of(), Map.of(), ServicePlan.Hardening.NONE, List.of(), ServicePlan.Resources.NONE, Duration.ofSeconds(10), POLICY, POLICY);

        engine(api).createService(plain, Optional.empty());

        JsonNode task = api.servicesSent.get(0).path("TaskTemplate");
        for (String field : List.of("CapabilityDrop", "CapabilityAdd", "Ulimits")) {
            assertFalse(task.path("ContainerSpec").has(field), field + " in " + task);
        }
        assertFalse(task.path("Resources").path("Limits").has("Pids"), task.toString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static DockerJavaEngine engine(FakeEngineApi api) {
        return DockerJavaEngine.over(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///fake.sock").build(),
                api, api, api, new EngineTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)), "unix:///fake.sock (test)");
    }
}
