package dev.dlb.core.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.CreateNetworkResponse;
import com.github.dockerjava.api.command.CreateVolumeResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.ListVolumesResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.VolumeOptions;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import com.github.dockerjava.core.command.CreateNetworkCmdImpl;
import com.github.dockerjava.core.command.CreateVolumeCmdImpl;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * docker-java's JSON mapper, one for every engine client in this JVM, made on a daemon thread that then builds the
 * readers and writers a start's and a stop's engine calls need, in the order they need them. In a cold JVM the
 * mapper alone costs 0.3 s, and docker-java's first call of each kind 0.1–0.35 s more, building its readers and
 * writers by reflection while the engine's answer waits; begun as a goal begins, on the second core, all of that
 * overlaps the goal's own work. Nothing here reaches the engine, and a warm-up that fails leaves the calls to build
 * what they need themselves.
 */
final class JsonWarmup {

    private static final AtomicBoolean BEGUN = new AtomicBoolean();
    private static final CompletableFuture<ObjectMapper> MAPPER = new CompletableFuture<>();

    private JsonWarmup() {
    }

    /** Begins making and warming the mapper, once per JVM; returns at once. */
    static void begin() {
        if (!BEGUN.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            ObjectMapper mapper;
            try {
                mapper = DockerClientConfig.getDefaultObjectMapper();
            } catch (RuntimeException | Error e) {
                MAPPER.completeExceptionally(e);
                return;
            }
            MAPPER.complete(mapper);
            try {
                warm(mapper);
            } catch (IOException | RuntimeException | LinkageError e) {
                // the calls build what is missing themselves; and a goal that ended first may have had Maven close the
                // plugin's class loader under this thread (NoClassDefFoundError), which the build must not see
            }
        }, "dlb-json-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** The mapper, once made: each mapper keeps its own readers and writers, so every client shares this one. */
    static ObjectMapper mapper() {
        begin();
        return MAPPER.join();
    }

    /** Reads and writes what the calls will, empty. */
    static void warm(ObjectMapper mapper) throws IOException {
        mapper.readValue("[]", new TypeReference<List<Container>>() { });
        mapper.readValue("{}", InspectImageResponse.class);
        mapper.readValue("[]", new TypeReference<List<Network>>() { });
        mapper.readValue("{}", ListVolumesResponse.class);
        mapper.writeValueAsBytes(new CreateNetworkCmdImpl(JsonWarmup::never).withName("warm").withLabels(Map.of("warm", "up")));
        mapper.readValue("{}", CreateNetworkResponse.class);
        mapper.writeValueAsBytes(new CreateVolumeCmdImpl(JsonWarmup::never).withName("warm").withLabels(Map.of("warm", "up")));
        mapper.readValue("{}", CreateVolumeResponse.class);
        mapper.writeValueAsBytes(container());
        mapper.readValue("{}", CreateContainerResponse.class);
        mapper.readValue("{}", InspectContainerResponse.class);
    }

    /** The commands here are only written, never executed. */
    private static <T> T never(Object command) {
        throw new IllegalStateException("a warm-up command was executed");
    }

    /** Shaped as DockerJavaEngine's containers are, so that the writers of their nested values are built too. */
    private static CreateContainerCmdImpl container() {
        ExposedPort port = ExposedPort.tcp(80);
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("warm")
                .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource("warm").withTarget("/warm")
                        .withVolumeOptions(new VolumeOptions().withLabels(Map.of("warm", "up")))))
                .withRestartPolicy(RestartPolicy.onFailureRestart(1))
                .withSecurityOpts(List.of("no-new-privileges"))
                .withCapDrop(Capability.ALL)
                .withCapAdd(Capability.CHOWN)
                .withMemory(1L)
                .withPidsLimit(1L)
                .withUlimits(List.of(new Ulimit("nofile", 1L, 1L)))
                .withTmpFs(Map.of("/tmp", "size=1m"))
                .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), port));
        CreateContainerCmdImpl cmd = new CreateContainerCmdImpl(JsonWarmup::never, null, "warm");
        cmd.withName("warm").withHostName("warm").withAliases("warm").withEnv(List.of("WARM=up")).withLabels(Map.of("warm", "up"))
                .withExposedPorts(port).withTty(false).withHostConfig(host);
        return cmd;
    }
}
