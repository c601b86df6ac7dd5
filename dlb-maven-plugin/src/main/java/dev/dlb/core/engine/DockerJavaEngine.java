package dev.dlb.core.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.VolumeOptions;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** {@link ContainerEngine} over docker-java: the only class that imports it. */
public final class DockerJavaEngine implements ContainerEngine {

    /** Connect and answer limits of the ping alone, so that an engine that accepts but never answers fails in under 2 s. */
    private static final Duration PING_CONNECT_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration PING_RESPONSE_TIMEOUT = Duration.ofMillis(1500);

    private final DockerClient client;
    /** The same engine, for the ping only: the main client has no response timeout, since builds and pulls may be silent for long. */
    private final DockerClient pingClient;
    private final String host;

    private DockerJavaEngine(DockerClient client, DockerClient pingClient, String host) {
        this.client = client;
        this.pingClient = pingClient;
        this.host = host;
    }

    /** Connects as the docker CLI would: DOCKER_HOST (docker-java also reads it as a system property), or the default socket. */
    public static DockerJavaEngine fromEnvironment() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(2))
                .maxConnections(32)
                .build();
        ApacheDockerHttpClient pingHttp = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(PING_CONNECT_TIMEOUT)
                .responseTimeout(PING_RESPONSE_TIMEOUT)
                .maxConnections(1)
                .build();
        return new DockerJavaEngine(DockerClientImpl.getInstance(config, http), DockerClientImpl.getInstance(config, pingHttp),
                config.getDockerHost().toString());
    }

    @Override
    public void ping() throws EngineException {
        try {
            pingClient.pingCmd().exec();
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            if (hasCause(e, org.apache.hc.client5.http.ConnectTimeoutException.class)) {
                why = "no connection within " + PING_CONNECT_TIMEOUT.toMillis() + " ms (" + why + ")";
            } else if (hasCause(e, java.net.SocketTimeoutException.class)) {
                why = "it accepted the connection but gave no answer within " + PING_RESPONSE_TIMEOUT.toMillis() + " ms (" + why + ")";
            }
            throw new EngineException("No Docker engine answers at " + host + " (" + dockerHostSource() + "): " + why
                    + ". Fix: start the engine (dockerd; scripts/env/docker-engine.sh on Debian) or point DOCKER_HOST at it", e);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Where the address came from, in docker-java's order: the system property overrides the environment variable. */
    private static String dockerHostSource() {
        String property = System.getProperty("DOCKER_HOST");
        if (property != null) {
            return "system property DOCKER_HOST=" + property;
        }
        return "DOCKER_HOST=" + Optional.ofNullable(System.getenv("DOCKER_HOST")).orElse("unset");
    }

    @Override
    public Optional<ImageInfo> inspectImage(String reference) throws EngineException {
        try {
            InspectImageResponse image = client.inspectImageCmd(reference).exec();
            Map<String, String> labels = image.getConfig() == null || image.getConfig().getLabels() == null
                    ? Map.of() : image.getConfig().getLabels();
            return Optional.of(new ImageInfo(image.getId(), Map.copyOf(labels)));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw failed("inspect image " + reference, e);
        }
    }

    @Override
    public void pullImage(String reference, Consumer<String> output) throws EngineException {
        ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(PullResponseItem item) {
                if (item.getStatus() != null && item.getId() == null) {
                    output.accept(item.getStatus());
                }
            }
        };
        try {
            client.pullImageCmd(reference).exec(callback).awaitCompletion(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while pulling " + reference, e);
        } catch (RuntimeException e) {
            throw failed("pull " + reference, e);
        }
    }

    @Override
    public String buildImage(Path contextDir, String tag, Map<String, String> labels, Consumer<String> output) throws EngineException {
        BuildImageResultCallback callback = new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    item.getStream().lines().filter(l -> !l.isBlank()).forEach(output);
                }
                super.onNext(item);
            }
        };
        try {
            return client.buildImageCmd(contextDir.toFile())
                    .withTags(Set.of(tag))
                    .withLabels(labels)
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(callback)
                    .awaitImageId();
        } catch (RuntimeException e) {
            throw failed("build " + tag + " from " + contextDir, e);
        }
    }

    @Override
    public String createNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException {
        try {
            return client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels).withCheckDuplicate(true)
                    .withInternal(internal).exec().getId();
        } catch (DockerException e) {
            throw failed("create network " + name, e);
        }
    }

    @Override
    public List<String> namesInUse(List<String> names) throws EngineException {
        try {
            List<String> used = new ArrayList<>();
            client.listContainersCmd().withShowAll(true).withNameFilter(names).exec()
                    .forEach(c -> used.add(firstName(c.getNames())));
            client.listNetworksCmd().withNameFilter(names.toArray(String[]::new)).exec().forEach(n -> used.add(n.getName()));
            var volumes = client.listVolumesCmd().withFilter("name", names).exec().getVolumes();
            if (volumes != null) {
                volumes.forEach(v -> used.add(v.getName()));
            }
            return used.stream().filter(names::contains).distinct().sorted().toList();
        } catch (DockerException e) {
            throw failed("list containers, networks and volumes named " + names, e);
        }
    }

    @Override
    public String createVolume(String name, Map<String, String> labels) throws EngineException {
        try {
            return client.createVolumeCmd().withName(name).withLabels(labels).exec().getName();
        } catch (DockerException e) {
            throw failed("create volume " + name, e);
        }
    }

    @Override
    public String createContainer(ContainerPlan plan) throws EngineException {
        ExposedPort port = ExposedPort.tcp(plan.containerPort());
        ContainerPlan.Hardening hardening = plan.hardening();
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(plan.networks().get(0))
                .withMounts(plan.volumes().stream().map(DockerJavaEngine::mount).toList())
                .withRestartPolicy(plan.restartRetries() > 0 ? RestartPolicy.onFailureRestart(plan.restartRetries()) : RestartPolicy.noRestart())
                .withSecurityOpts(List.of("no-new-privileges"))
                .withCapDrop(Capability.ALL)
                .withCapAdd(hardening.capabilities().stream().map(Capability::valueOf).toArray(Capability[]::new))
                .withMemory(hardening.memoryBytes())
                .withMemorySwap(hardening.memoryBytes())
                .withPidsLimit(hardening.pids())
                .withReadonlyRootfs(hardening.readOnlyRoot())
                .withTmpFs(hardening.tmpfs().entrySet().stream().collect(
                        Collectors.toMap(Map.Entry::getKey, t -> "rw,nosuid,nodev,size=" + t.getValue())));
        plan.publish().ifPresent(p -> host.withPortBindings(new PortBinding(
                p.port() == 0 ? Ports.Binding.bindIp(p.address()) : Ports.Binding.bindIpAndPort(p.address(), p.port()), port)));
        String id;
        try (CreateContainerCmd cmd = client.createContainerCmd(plan.image())) {
            id = cmd.withName(plan.name())
                    .withHostName(plan.hostname())
                    .withAliases(plan.hostname())
                    .withEnv(plan.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withLabels(plan.labels())
                    .withExposedPorts(port)
                    .withTty(false)
                    .withHostConfig(host)
                    .exec().getId();
        } catch (ConflictException e) {
            throw new EngineException("The name " + plan.name() + " is already taken by a container that is not part of this "
                    + "session; it was left alone. Fix: remove or rename that container", e);
        } catch (DockerException e) {
            throw failed("create container " + plan.name(), e);
        }
        for (String network : plan.networks().subList(1, plan.networks().size())) {
            try {
                client.connectToNetworkCmd().withNetworkId(network).withContainerId(id)
                        .withContainerNetwork(new ContainerNetwork().withAliases(plan.hostname())).exec();
            } catch (DockerException e) {
                throw failed("connect " + plan.name() + " to network " + network, e);
            }
        }
        return id;
    }

    /** A mount rather than a bind, so that a volume the engine creates on the fly carries our labels rather than none. */
    private static Mount mount(ContainerPlan.VolumeMount volume) {
        return new Mount().withType(MountType.VOLUME).withSource(volume.volume()).withTarget(volume.path())
                .withVolumeOptions(new VolumeOptions().withLabels(volume.labels()));
    }

    @Override
    public void startContainer(String id) throws EngineException {
        try {
            client.startContainerCmd(id).exec();
        } catch (DockerException e) {
            throw failed("start container " + id, e);
        }
    }

    @Override
    public ContainerState inspectContainer(String id) throws EngineException {
        try {
            InspectContainerResponse c = client.inspectContainerCmd(id).exec();
            InspectContainerResponse.ContainerState s = c.getState();
            HealthState health = s.getHealth();
            List<String> healthLog = health == null || health.getLog() == null ? List.of()
                    : health.getLog().stream().map(DockerJavaEngine::describe).toList();
            return new ContainerState(c.getName().replaceFirst("^/", ""), s.getStatus(),
                    Optional.ofNullable(health).map(HealthState::getStatus), healthLog,
                    Optional.ofNullable(s.getExitCodeLong()).orElse(0L), hostPort(c));
        } catch (DockerException e) {
            throw failed("inspect container " + id, e);
        }
    }

    private static String describe(HealthStateLog log) {
        String out = Optional.ofNullable(log.getOutput()).orElse("").strip();
        return log.getStart() + " exit " + log.getExitCodeLong() + (out.isEmpty() ? "" : ": " + out);
    }

    private static Optional<Integer> hostPort(InspectContainerResponse c) {
        if (c.getNetworkSettings() == null || c.getNetworkSettings().getPorts() == null) {
            return Optional.empty();
        }
        return c.getNetworkSettings().getPorts().getBindings().values().stream()
                .filter(b -> b != null && b.length > 0)
                .map(b -> Integer.parseInt(b[0].getHostPortSpec()))
                .findFirst();
    }

    @Override
    public String logs(String id, int lines) throws EngineException {
        StringBuilder out = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        try {
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines).exec(callback)
                    .awaitCompletion(10, TimeUnit.SECONDS);
            return out.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return out.toString();
        } catch (DockerException e) {
            throw failed("read the log of " + id, e);
        }
    }

    @Override
    public List<Resource> list(Map<String, String> labels) throws EngineException {
        List<String> filter = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        try {
            List<Resource> found = new ArrayList<>();
            client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().forEach(c -> found.add(
                    new Resource(Resource.Kind.CONTAINER, c.getId(), firstName(c.getNames()), c.getLabels())));
            client.listNetworksCmd().withFilter("label", filter).exec().forEach(n -> found.add(
                    new Resource(Resource.Kind.NETWORK, n.getId(), n.getName(), n.getLabels())));
            var volumes = client.listVolumesCmd().withFilter("label", filter).exec().getVolumes();
            if (volumes != null) {
                volumes.forEach(v -> found.add(new Resource(Resource.Kind.VOLUME, v.getName(), v.getName(), v.getLabels())));
            }
            return found;
        } catch (DockerException e) {
            throw failed("list resources labelled " + filter, e);
        }
    }

    private static String firstName(String[] names) {
        return names == null || names.length == 0 ? "?" : names[0].replaceFirst("^/", "");
    }

    @Override
    public void remove(Resource resource) throws EngineException {
        try {
            switch (resource.kind()) {
                case CONTAINER -> client.removeContainerCmd(resource.id()).withForce(true).withRemoveVolumes(true).exec();
                case NETWORK -> client.removeNetworkCmd(resource.id()).exec();
                case VOLUME -> client.removeVolumeCmd(resource.id()).exec();
            }
        } catch (NotFoundException e) {
            // already gone: removal is idempotent
        } catch (ConflictException e) {
            if (resource.kind() != Resource.Kind.VOLUME) {
                throw failed("remove " + resource, e);
            }
            throw new ResourceInUseException("Docker keeps " + resource + ": a container still uses it (" + rootMessage(e) + ")", e);
        } catch (DockerException e) {
            throw failed("remove " + resource, e);
        }
    }

    @Override
    public void close() {
        for (DockerClient c : List.of(pingClient, client)) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    private static EngineException failed(String what, RuntimeException e) {
        return new EngineException("Docker could not " + what + ": " + rootMessage(e), e);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()).strip();
        return root == e ? message : message + " (" + Optional.ofNullable(root.getMessage()).orElse(root.getClass().getSimpleName()) + ")";
    }

}
