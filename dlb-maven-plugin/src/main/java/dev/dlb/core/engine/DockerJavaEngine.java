package dev.dlb.core.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.ServiceUpdateStatus;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import com.github.dockerjava.api.model.VersionComponent;
import com.github.dockerjava.api.model.VolumeOptions;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@link ContainerEngine} over docker-java: the only class that imports it. Made through {@link #connect},
 * which puts it behind a {@link BoundedEngine}. Three clients to one engine: one for calls, whose read
 * timeout is the call timeout; one for builds and pulls, which may be silent for long; and one for the ping.
 */
public final class DockerJavaEngine implements ContainerEngine {

    /** Connect and answer limits of the ping alone, so that an engine that accepts but never answers fails in under 3 s. */
    private static final Duration PING_CONNECT_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration PING_RESPONSE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The component of its version by which Podman's Docker-compatible API names itself. */
    private static final String PODMAN_COMPONENT = "Podman Engine";
    private static final Pattern CNI_BACKEND = Pattern.compile("\"networkBackend\"\\s*:\\s*\"cni\"");

    private final DockerClient client;
    private final DockerClient streamClient;
    private final DockerClient pingClient;
    private final String name;
    private final EngineTimeouts timeouts;
    /** The transport of {@link #client}, for the calls of Podman's own API, which docker-java does not know. */
    private final DockerHttpClient calls;
    private final HealthCheckSchedule healthChecks;
    private volatile EngineFlavour flavour;

    private DockerJavaEngine(DockerClient client, DockerClient streamClient, DockerClient pingClient, String name,
                             EngineTimeouts timeouts, DockerHttpClient calls, HealthCheckSchedule healthChecks) {
        this.client = client;
        this.streamClient = streamClient;
        this.pingClient = pingClient;
        this.name = name;
        this.timeouts = timeouts;
        this.calls = calls;
        this.healthChecks = healthChecks;
    }

    /**
     * Begins, on a daemon thread, the docker-java setup that every connection of this JVM shares, so that it overlaps
     * whatever the caller does before it connects; returns at once.
     */
    public static void prepare() {
        JsonWarmup.begin();
    }

    /** Connects as the docker CLI would, from this JVM's environment and system properties. */
    public static ContainerEngine fromEnvironment() {
        return connect(EngineSettings.current());
    }

    /** Connects to the engine these settings name, found as the docker CLI finds it; every call is bounded by their timeouts. */
    public static ContainerEngine connect(EngineSettings settings) {
        return connect(EngineDiscovery.onThisMachine().find(settings), settings.timeouts());
    }

    /** Connects to this engine; every call is bounded in time by these timeouts. */
    public static ContainerEngine connect(EngineEndpoint endpoint, EngineTimeouts timeouts) {
        DockerClientConfig plain = config(endpoint);
        // the transports need no JSON: made first, while the warm-up thread may still be making the mapper
        DockerHttpClient calls = http(plain, CONNECT_TIMEOUT, timeouts.call().plusSeconds(1), PARALLEL_CALLS);
        DockerHttpClient streams = http(plain, CONNECT_TIMEOUT, timeouts.build(), 4);
        DockerHttpClient ping = http(plain, PING_CONNECT_TIMEOUT, PING_RESPONSE_TIMEOUT, 1);
        String name = endpoint.describe();
        DockerJavaEngine engine = over(new OneMapper(plain, JsonWarmup.mapper()), calls, streams, ping, timeouts, name);
        return new BoundedEngine(engine, name, timeouts);
    }

    /** The engine over these transports, unbounded; tests hand in their own. */
    static DockerJavaEngine over(DockerClientConfig config, DockerHttpClient calls, DockerHttpClient streams, DockerHttpClient ping,
                                 EngineTimeouts timeouts, String name) {
        return over(config, calls, streams, ping, timeouts, name, new HealthCheckSchedule(System::nanoTime));
    }

    static DockerJavaEngine over(DockerClientConfig config, DockerHttpClient calls, DockerHttpClient streams, DockerHttpClient ping,
                                 EngineTimeouts timeouts, String name, HealthCheckSchedule healthChecks) {
        return new DockerJavaEngine(DockerClientImpl.getInstance(config, calls), DockerClientImpl.getInstance(config, streams),
                DockerClientImpl.getInstance(config, ping), name, timeouts, calls, healthChecks);
    }

    /** docker-java's defaults (registry credentials from ~/.docker) for this address and TLS, whatever docker-java would find itself. */
    private static DockerClientConfig config(EngineEndpoint endpoint) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint.host().toString())
                .withDockerTlsVerify(false);
        // EngineTls only here, so that a plain engine never loads BouncyCastle (a signed jar whose check costs a cold JVM
        // 0.3 s). A socket's transport gets a context that is never used, not the JDK's default one, whose trust store
        // and cipher suites cost 0.2 s; over TCP, docker-java speaks HTTPS whenever it is given any context.
        if (endpoint.tls().isPresent()) {
            SSLContext context = EngineTls.context(endpoint.tls().get());
            builder.withCustomSslConfig(() -> context);
        } else if ("unix".equals(endpoint.host().getScheme())) {
            builder.withCustomSslConfig(NoTls::context);
        }
        return builder.build();
    }

    /**
     * docker-java's configuration with the JVM's one JSON mapper ({@link JsonWarmup}) for every client: by default each
     * client copies its own, and each copy builds its readers and writers anew. docker-java changes no setting of it (its
     * stream readers copy it first).
     */
    private record OneMapper(DockerClientConfig config, ObjectMapper mapper) implements DockerClientConfig {

        @Override
        public URI getDockerHost() {
            return config.getDockerHost();
        }

        @Override
        public RemoteApiVersion getApiVersion() {
            return config.getApiVersion();
        }

        @Override
        public String getRegistryUsername() {
            return config.getRegistryUsername();
        }

        @Override
        public String getRegistryPassword() {
            return config.getRegistryPassword();
        }

        @Override
        public String getRegistryEmail() {
            return config.getRegistryEmail();
        }

        @Override
        public String getRegistryUrl() {
            return config.getRegistryUrl();
        }

        @Override
        public AuthConfig effectiveAuthConfig(String imageName) {
            return config.effectiveAuthConfig(imageName);
        }

        @Override
        public AuthConfigurations getAuthConfigurations() {
            return config.getAuthConfigurations();
        }

        @Override
        public SSLConfig getSSLConfig() {
            return config.getSSLConfig();
        }

        @Override
        public ObjectMapper getObjectMapper() {
            return mapper;
        }
    }

    private static DockerHttpClient http(DockerClientConfig config, Duration connect, Duration response, int connections) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(connect)
                .responseTimeout(response)
                .maxConnections(connections)
                .build();
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
            throw new EngineException("No Docker engine answers at " + name + ": " + why
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

    @Override
    public String architecture() throws EngineException {
        try {
            return Optional.ofNullable(client.versionCmd().exec().getArch()).orElseGet(() -> client.infoCmd().exec().getArchitecture());
        } catch (DockerException e) {
            throw failed("tell its version", e);
        }
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
            if (!streamClient.pullImageCmd(reference).exec(callback).awaitCompletion(timeouts.build().toMillis(), TimeUnit.MILLISECONDS)) {
                throw notFinished("pulling " + reference);
            }
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
            BuildImageResultCallback running = streamClient.buildImageCmd(contextDir.toFile())
                    .withTags(Set.of(tag))
                    .withLabels(labels)
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(callback);
            if (!running.awaitCompletion(timeouts.build().toMillis(), TimeUnit.MILLISECONDS)) {
                throw notFinished("building " + tag);
            }
            return running.awaitImageId();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while building " + tag, e);
        } catch (RuntimeException e) {
            throw failed("build " + tag + " from " + contextDir, e);
        }
    }

    @Override
    public String createNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException {
        if (internal) {
            requireNamesOnInternalNetworks();
        }
        try {
            return client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels).withCheckDuplicate(true)
                    .withInternal(internal).exec().getId();
        } catch (DockerException e) {
            throw failed("create network " + name, e);
        }
    }

    /**
     * Containers find each other by name through the network backend. Docker's and Podman's netavark (with aardvark-dns)
     * resolve names on an internal network too; Podman's CNI backend turns its dnsname plugin off there, so the balancer
     * would find no replica. Said before the network is made, with the fix.
     */
    private void requireNamesOnInternalNetworks() throws EngineException {
        if (flavour().podman() && CNI_BACKEND.matcher(libpod("/info").body()).find()) {
            throw new EngineException("Podman at " + name + " uses the CNI network backend, which resolves no container names on "
                    + "an internal network (the replicas' network), so the balancer would find no replica. Fix: use the netavark "
                    + "backend with aardvark-dns (apt-get install netavark aardvark-dns; network_backend = \"netavark\" in "
                    + "containers.conf; switching backends takes podman system reset, which removes all containers and images)");
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
        labelVolumes(plan);
        String id;
        try (CreateContainerCmd cmd = client.createContainerCmd(plan.image())) {
            id = cmd.withName(plan.name())
                    .withHostName(plan.hostname())
                    .withAliases(plan.hostname())
                    .withEnv(plan.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withLabels(plan.labels())
                    .withExposedPorts(port)
                    .withTty(false)
                    .withHostConfig(hostConfig(plan, port))
                    .exec().getId();
        } catch (ConflictException e) {
            throw new EngineException("The name " + plan.name() + " is already taken by a container that is not part of this "
                    + "session; it was left alone. Fix: remove or rename that container", e);
        } catch (DockerException e) {
            throw failed("create container " + plan.name(), e);
        }
        for (String network : plan.networks().subList(1, plan.networks().size())) {
            connect(plan, id, network);
        }
        return id;
    }

    private HostConfig hostConfig(ContainerPlan plan, ExposedPort port) throws EngineException {
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
                .withUlimits(ulimits(hardening))
                .withTmpFs(flavour().tmpfs(hardening.tmpfs(), hardening.readOnlyRoot()));
        plan.publish().ifPresent(p -> host.withPortBindings(new PortBinding(
                p.port() == 0 ? Ports.Binding.bindIp(p.address()) : Ports.Binding.bindIpAndPort(p.address(), p.port()), port)));
        return host;
    }

    private List<Ulimit> ulimits(ContainerPlan.Hardening hardening) throws EngineException {
        return flavour().limits(hardening.openFiles()).entrySet().stream().map(l -> new Ulimit(l.getKey(), l.getValue(), l.getValue()))
                .toList();
    }

    /** On Podman each volume is created, with its labels, right before the container; creating one that exists changes nothing. */
    private void labelVolumes(ContainerPlan plan) throws EngineException {
        if (!plan.volumes().isEmpty() && !flavour().labelsVolumesOfMounts()) {
            for (ContainerPlan.VolumeMount volume : plan.volumes()) {
                createVolume(volume.volume(), volume.labels());
            }
        }
    }

    private void connect(ContainerPlan plan, String id, String network) throws EngineException {
        try {
            client.connectToNetworkCmd().withNetworkId(network).withContainerId(id)
                    .withContainerNetwork(new ContainerNetwork().withAliases(plan.hostname())).exec();
        } catch (DockerException e) {
            throw failed("connect " + plan.name() + " to network " + network, e);
        }
    }

    /** A mount rather than a bind, so that a volume Docker creates on the fly carries our labels rather than none (Podman: see labelVolumes). */
    private static Mount mount(ContainerPlan.VolumeMount volume) {
        return new Mount().withType(MountType.VOLUME).withSource(volume.volume()).withTarget(volume.path())
                .withVolumeOptions(new VolumeOptions().withLabels(volume.labels()));
    }

    @Override
    public String createToolContainer(ToolPlan plan) throws EngineException {
        try (CreateContainerCmd cmd = client.createContainerCmd(plan.image())) {
            return cmd.withName(plan.name())
                    .withEntrypoint(plan.command().get(0))
                    .withCmd(plan.command().subList(1, plan.command().size()))
                    .withEnv(plan.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withLabels(plan.labels())
                    .withTty(false)
                    .withHostConfig(HostConfig.newHostConfig().withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges")))
                    .exec().getId();
        } catch (DockerException e) {
            throw failed("create container " + plan.name(), e);
        }
    }

    @Override
    public long awaitExit(String id, Consumer<String> output) throws EngineException {
        Lines lines = new Lines(output);
        try {
            boolean ended = streamClient.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true).exec(lines)
                    .awaitCompletion(timeouts.build().toMillis(), TimeUnit.MILLISECONDS);
            lines.flush();
            if (!ended) {
                throw notFinished("running container " + id);
            }
            return client.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(timeouts.call().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while running container " + id, e);
        } catch (RuntimeException e) {
            throw failed("follow container " + id + " to its end", e);
        }
    }

    /** A container's output as lines, however the engine split it into frames. */
    private static final class Lines extends ResultCallback.Adapter<Frame> {

        private final Consumer<String> output;
        private final StringBuilder partial = new StringBuilder();

        Lines(Consumer<String> output) {
            this.output = output;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            for (int end = partial.indexOf("\n"); end >= 0; end = partial.indexOf("\n")) {
                output.accept(partial.substring(0, end));
                partial.delete(0, end + 1);
            }
        }

        synchronized void flush() {
            if (!partial.isEmpty()) {
                output.accept(partial.toString());
                partial.setLength(0);
            }
        }
    }

    @Override
    public void copyFile(String id, String path, Path target) throws EngineException {
        try (InputStream archive = client.copyArchiveFromContainerCmd(id, path).exec();
             TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry == null || !entry.isFile()) {
                throw new EngineException(path + " in container " + id + " is not a regular file");
            }
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new EngineException("Docker could not copy " + path + " out of container " + id + ": " + e.getMessage(), e);
        } catch (DockerException e) {
            throw failed("copy " + path + " out of container " + id, e);
        }
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
    public void stopContainer(String id, Duration timeout) throws EngineException {
        try {
            client.killContainerCmd(id).withSignal("TERM").exec();
        } catch (NotFoundException | ConflictException e) {
            return; // gone, or not running: nothing to wait for
        } catch (DockerException e) {
            throw failed("stop container " + id, e);
        }
        try (WaitContainerResultCallback wait = client.waitContainerCmd(id).exec(new WaitContainerResultCallback())) {
            wait.awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            // still running after the timeout, or gone meanwhile: the removal that follows kills it or finds nothing
        }
    }

    @Override
    public ContainerState inspectContainer(String id) throws EngineException {
        try {
            InspectContainerResponse c = client.inspectContainerCmd(id).exec();
            if (healthCheckDue(c)) {
                runHealthCheck(c.getId());
                c = client.inspectContainerCmd(id).exec();
            }
            return state(c);
        } catch (DockerException e) {
            throw failed("inspect container " + id, e);
        }
    }

    private static ContainerState state(InspectContainerResponse c) {
        InspectContainerResponse.ContainerState s = c.getState();
        HealthState health = s.getHealth();
        List<String> healthLog = health == null || health.getLog() == null ? List.of()
                : health.getLog().stream().map(DockerJavaEngine::describe).toList();
        return new ContainerState(c.getName().replaceFirst("^/", ""), s.getStatus(),
                Optional.ofNullable(health).map(HealthState::getStatus), healthLog,
                Optional.ofNullable(s.getExitCodeLong()).orElse(0L), hostPort(c));
    }

    /** Where the engine runs no health checks by itself, a running container's check is run when one is due at the image's interval. */
    private boolean healthCheckDue(InspectContainerResponse c) throws EngineException {
        HealthCheck check = c.getConfig() == null ? null : c.getConfig().getHealthcheck();
        if (check == null || c.getState().getHealth() == null || !Boolean.TRUE.equals(c.getState().getRunning())) {
            return false;
        }
        return !flavour().runsHealthChecks() && healthChecks.due(c.getId(), Optional.ofNullable(check.getInterval()).orElse(0L));
    }

    private void runHealthCheck(String id) throws EngineException {
        LibpodAnswer answer = libpod("/containers/" + id + "/healthcheck");
        // 409: it stopped meanwhile; the inspection that follows says so
        if (answer.status() >= 300 && answer.status() != 409) {
            throw new EngineException("Podman could not run the health check of container " + id + ": status " + answer.status()
                    + " " + answer.body().strip());
        }
    }

    /** A GET of Podman's own API (the calls docker-java does not know): its status and body. */
    private LibpodAnswer libpod(String path) throws EngineException {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path("/v" + flavour().libpodApi() + "/libpod" + path).build();
        try (DockerHttpClient.Response response = calls.execute(request)) {
            return new LibpodAnswer(response.getStatusCode(), new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new EngineException("Podman at " + name + " did not answer GET /libpod" + path + ": " + rootMessage(e), e);
        }
    }

    private record LibpodAnswer(int status, String body) {
    }

    /** Which engine answers, from its version (asked once). */
    private EngineFlavour flavour() throws EngineException {
        EngineFlavour known = flavour;
        if (known == null) {
            try {
                known = flavourOf(Optional.ofNullable(client.versionCmd().exec().getComponents()).orElse(List.of()));
            } catch (DockerException e) {
                throw failed("tell its version", e);
            }
            flavour = known;
        }
        return known;
    }

    /** Podman names itself among the components of its version; Docker names an "Engine". */
    private static EngineFlavour flavourOf(List<VersionComponent> components) {
        return components.stream().filter(c -> PODMAN_COMPONENT.equals(c.getName())).findFirst()
                .map(c -> EngineFlavour.podman(Optional.ofNullable(c.getDetails()).map(d -> d.get("APIVersion"))))
                .orElse(EngineFlavour.DOCKER);
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
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
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
                case SERVICE -> client.removeServiceCmd(resource.id()).exec();
                case CONFIG -> client.removeConfigCmd(resource.id()).exec();
                case SECRET -> client.removeSecretCmd(resource.id()).exec();
            }
        } catch (NotFoundException e) {
            // already gone: removal is idempotent
        } catch (ConflictException e) {
            if (resource.kind() == Resource.Kind.NETWORK) {
                throw new EngineException("Docker refuses to remove " + resource + ": " + rootMessage(e) + ". If no container is "
                        + "attached to it any more (docker network inspect), the engine's count of its endpoints is stale (a known "
                        + "engine fault, moby/moby#42119), and only restarting the engine frees it; then mvn dlb:stop -Ddlb.stop.all "
                        + "removes it", e);
            }
            if (resource.kind() != Resource.Kind.VOLUME) {
                throw failed("remove " + resource, e);
            }
            throw new ResourceInUseException("Docker keeps " + resource + ": a container still uses it (" + rootMessage(e) + ")", e);
        } catch (DockerException e) {
            throw failed("remove " + resource, e);
        }
    }

    @Override
    public void tagImage(String image, String reference) throws EngineException {
        ImageName name = ImageName.of(reference);
        try {
            client.tagImageCmd(image, name.repository(), name.tag()).withForce(true).exec();
        } catch (DockerException e) {
            throw failed("tag " + image + " as " + reference, e);
        }
    }

    @Override
    public void pushImage(String reference, Optional<RegistryAuth> auth, Consumer<String> output) throws EngineException {
        ImageName name = ImageName.of(reference);
        List<String> errors = new ArrayList<>();
        ResultCallback.Adapter<PushResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    errors.add(item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError());
                } else if (item.getStatus() != null && item.getId() == null) {
                    output.accept(item.getStatus());
                }
            }
        };
        try {
            var push = streamClient.pushImageCmd(name.repository()).withTag(name.tag());
            auth.map(DockerJavaEngine::authConfig).ifPresent(push::withAuthConfig);
            if (!push.exec(callback).awaitCompletion(timeouts.build().toMillis(), TimeUnit.MILLISECONDS)) {
                throw notFinished("pushing " + reference);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while pushing " + reference, e);
        } catch (RuntimeException e) {
            throw failed("push " + reference, e);
        }
        if (!errors.isEmpty()) {
            throw new EngineException("Docker could not push " + reference + ": " + String.join("; ", errors));
        }
    }

    /** repository and tag of an image reference; a port in the registry's host is no tag. */
    record ImageName(String repository, String tag) {

        static ImageName of(String reference) {
            int colon = reference.lastIndexOf(':');
            return colon > reference.lastIndexOf('/') ? new ImageName(reference.substring(0, colon), reference.substring(colon + 1))
                    : new ImageName(reference, "latest");
        }
    }

    private static AuthConfig authConfig(RegistryAuth auth) {
        return new AuthConfig().withRegistryAddress(auth.registry()).withUsername(auth.username()).withPassword(auth.password());
    }

    @Override
    public String createOverlayNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException {
        try {
            return client.createNetworkCmd().withName(name).withDriver("overlay").withAttachable(true).withInternal(internal).withLabels(labels)
                    .withCheckDuplicate(true).exec().getId();
        } catch (DockerException e) {
            throw failed("create overlay network " + name, e);
        }
    }

    @Override
    public String createService(ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        try {
            var create = client.createServiceCmd(SwarmSpecs.service(plan));
            auth.map(DockerJavaEngine::authConfig).ifPresent(create::withAuthConfig);
            return create.exec().getId();
        } catch (DockerException e) {
            throw failed("create service " + plan.name(), e);
        }
    }

    /** Swarm keeps the credentials the service was created with when an update brings none (docker-java sends none here). */
    @Override
    public void updateService(String id, long version, ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        try {
            client.updateServiceCmd(id, SwarmSpecs.service(plan)).withVersion(version).exec();
        } catch (DockerException e) {
            throw failed("update service " + plan.name(), e);
        }
    }

    @Override
    public Optional<ServiceState> inspectService(String nameOrId) throws EngineException {
        try {
            return Optional.of(SwarmSpecs.state(client.inspectServiceCmd(nameOrId).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw failed("inspect service " + nameOrId, e);
        }
    }

    @Override
    public List<TaskState> listTasks(String serviceId) throws EngineException {
        try {
            return client.listTasksCmd().withServiceFilter(serviceId).exec().stream().map(SwarmSpecs::task).toList();
        } catch (NotFoundException e) {
            // a removed service's tasks stay listed, without it, until their nodes have stopped them
            try {
                return client.listTasksCmd().exec().stream().filter(t -> serviceId.equals(t.getServiceId())).map(SwarmSpecs::task).toList();
            } catch (DockerException again) {
                throw failed("list the tasks of service " + serviceId, again);
            }
        } catch (DockerException e) {
            throw failed("list the tasks of service " + serviceId, e);
        }
    }

    @Override
    public List<SwarmNode> nodes() throws EngineException {
        try {
            return client.listSwarmNodesCmd().exec().stream().map(SwarmSpecs::node).toList();
        } catch (DockerException e) {
            if (rootMessage(e).contains("not a swarm manager")) {
                throw new EngineException("The Docker engine at " + name + " is no manager of a swarm (" + rootMessage(e) + "). Fix: point "
                        + "DOCKER_HOST (the environment variable, or -DDOCKER_HOST) at a manager of the swarm to deploy to, or make one: docker swarm init", e);
            }
            throw failed("list the swarm's nodes", e);
        }
    }

    @Override
    public List<Resource> listSwarm(Map<String, String> labels) throws EngineException {
        List<String> filter = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        try {
            List<Resource> found = new ArrayList<>();
            client.listServicesCmd().withLabelFilter(labels).exec().forEach(s -> found.add(
                    new Resource(Resource.Kind.SERVICE, s.getId(), s.getSpec().getName(), Optional.ofNullable(s.getSpec().getLabels())
                            .orElse(Map.of()))));
            // docker-java's config model has no labels: the engine's filter chose them by these
            client.listConfigsCmd().withFilters(Map.of("label", filter)).exec().forEach(c -> found.add(
                    new Resource(Resource.Kind.CONFIG, c.getId(), c.getSpec().getName(), labels)));
            client.listSecretsCmd().withLabelFilter(labels).exec().forEach(c -> found.add(
                    new Resource(Resource.Kind.SECRET, c.getId(), c.getSpec().getName(), Optional.ofNullable(c.getSpec().getLabels())
                            .orElse(Map.of()))));
            return found;
        } catch (DockerException e) {
            throw failed("list the swarm's services, configs and secrets labelled " + filter, e);
        }
    }

    @Override
    public void close() {
        for (DockerClient c : List.of(pingClient, client, streamClient)) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    private EngineException notFinished(String what) {
        return new EngineException("Docker did not finish " + what + " within " + timeouts.build().toSeconds() + " s at " + name
                + ". Fix: if it takes that long, raise -D" + EngineTimeouts.BUILD_PROPERTY + " (seconds)");
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

    /** Between the engine's Swarm plans and states and docker-java's model. */
    private static final class SwarmSpecs {

        private SwarmSpecs() {
        }

        static ServiceSpec service(ServicePlan plan) {
            List<Mount> mounts = new ArrayList<>(plan.volumes().stream().map(DockerJavaEngine::mount).toList());
            plan.tmpfs().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> mounts.add(new Mount().withType(MountType.TMPFS)
                    .withTarget(t.getKey()).withTmpfsOptions(new TmpfsOptions().withSizeBytes(t.getValue()))));
            ContainerSpec container = new HardenedContainerSpec(plan.hardening()).withImage(plan.image()).withTty(false)
                    .withReadOnly(plan.hardening().readOnlyRoot())
                    .withEnv(plan.environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withMounts(mounts).withStopGracePeriod(plan.stopGracePeriod().toNanos());
            plan.hostname().ifPresent(container::withHostname);
            TaskSpec task = new TaskSpec().withContainerSpec(container)
                    .withPlacement(new ServicePlacement().withConstraints(plan.constraints()))
                    .withResources(new ResourceRequirements().withLimits(limits(plan.resources())))
                    .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY).withDelay(SECOND_NANOS))
                    .withNetworks(plan.networks().stream().map(n -> new NetworkAttachmentConfig().withTarget(n)
                            .withAliases(List.of(plan.alias()))).toList());
            EndpointSpec endpoint = new EndpointSpec().withMode(plan.dnsrr() ? EndpointResolutionMode.DNSRR : EndpointResolutionMode.VIP)
                    .withPorts(plan.publish().map(p -> List.of(new PortConfig().withProtocol(PortConfigProtocol.TCP)
                            .withPublishMode(PortConfig.PublishMode.host).withTargetPort(p.target()).withPublishedPort(p.published())))
                            .orElse(List.of()));
            return new ServiceSpec().withName(plan.name()).withLabels(plan.labels()).withTaskTemplate(task)
                    .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(plan.replicas())))
                    .withEndpointSpec(endpoint)
                    .withUpdateConfig(update(plan.update()))
                    .withRollbackConfig(update(plan.rollback()));
        }

        private static final long SECOND_NANOS = 1_000_000_000L;

        private static ResourceSpecs limits(ServicePlan.Resources resources) {
            ResourceSpecs limits = new PidsLimitedResources(resources.pids());
            if (resources.memoryBytes() > 0) {
                limits.withMemoryBytes(resources.memoryBytes());
            }
            if (resources.nanoCpus() > 0) {
                limits.withNanoCPUs(resources.nanoCpus());
            }
            return limits;
        }

        private static UpdateConfig update(ServicePlan.UpdatePolicy policy) {
            return new UpdateConfig().withParallelism((long) policy.parallelism()).withDelay(policy.delay().toNanos())
                    .withOrder(policy.startFirst() ? UpdateOrder.START_FIRST : UpdateOrder.STOP_FIRST)
                    .withFailureAction(UpdateFailureAction.valueOf(policy.failureAction().toUpperCase(java.util.Locale.ROOT)))
                    .withMonitor(policy.monitor().toNanos());
        }

        /** API 1.41's ContainerSpec.CapabilityDrop, CapabilityAdd and Ulimits, which docker-java 3.5.3's model lacks. */
        private static final class HardenedContainerSpec extends ContainerSpec {

            private static final long serialVersionUID = 1L;

            @JsonProperty("CapabilityDrop")
            @JsonInclude(JsonInclude.Include.NON_EMPTY)
            private final List<String> capabilityDrop;
            @JsonProperty("CapabilityAdd")
            @JsonInclude(JsonInclude.Include.NON_EMPTY)
            private final List<String> capabilityAdd;
            @JsonProperty("Ulimits")
            @JsonInclude(JsonInclude.Include.NON_EMPTY)
            private final List<Ulimit> ulimits;

            HardenedContainerSpec(ServicePlan.Hardening hardening) {
                capabilityDrop = capabilities(hardening.capDrop());
                capabilityAdd = capabilities(hardening.capAdd());
                long files = hardening.openFiles();
                ulimits = files > 0 ? List.of(new Ulimit("nofile", files, files)) : List.of();
            }

            /** As the docker CLI sends them: {@code CAP_CHOWN}, and {@code ALL} as it is. */
            private static List<String> capabilities(List<String> names) {
                return names.stream().map(c -> c.equals("ALL") || c.startsWith("CAP_") ? c : "CAP_" + c).toList();
            }
        }

        /** API 1.41's Resources.Limits.Pids, which docker-java 3.5.3's model lacks. */
        private static final class PidsLimitedResources extends ResourceSpecs {

            private static final long serialVersionUID = 1L;

            @JsonProperty("Pids")
            @JsonInclude(JsonInclude.Include.NON_DEFAULT)
            private final long pids;

            PidsLimitedResources(long pids) {
                this.pids = pids;
            }
        }

        static ServiceState state(Service service) {
            ServiceSpec spec = service.getSpec();
            ContainerSpec container = spec.getTaskTemplate().getContainerSpec();
            Map<String, String> environment = Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                    .map(e -> e.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : "", (a, b) -> b));
            long replicas = spec.getMode() != null && spec.getMode().getReplicated() != null ? spec.getMode().getReplicated().getReplicas() : 0;
            ServiceUpdateStatus update = service.getUpdateStatus();
            return new ServiceState(service.getId(), spec.getName(), service.getVersion().getIndex(),
                    Optional.ofNullable(spec.getLabels()).orElse(Map.of()), container.getImage(), (int) replicas, environment,
                    Optional.ofNullable(update).map(ServiceUpdateStatus::getState).map(u -> u.name().toLowerCase(java.util.Locale.ROOT)),
                    update == null || update.getMessage() == null ? "" : update.getMessage());
        }

        static TaskState task(Task task) {
            String message = task.getStatus() == null ? "" : Optional.ofNullable(task.getStatus().getErr())
                    .orElse(Optional.ofNullable(task.getStatus().getMessage()).orElse(""));
            return new TaskState(task.getId(), task.getServiceId(), Optional.ofNullable(task.getSlot()).orElse(0),
                    Optional.ofNullable(task.getNodeId()).orElse(""),
                    task.getStatus() == null || task.getStatus().getState() == null ? "" : task.getStatus().getState().getValue(),
                    task.getDesiredState() == null ? "" : task.getDesiredState().getValue(), message);
        }

        static SwarmNode node(com.github.dockerjava.api.model.SwarmNode node) {
            return new SwarmNode(node.getId(), node.getDescription() == null ? "" : node.getDescription().getHostname(),
                    node.getSpec().getRole().name().toLowerCase(java.util.Locale.ROOT),
                    node.getStatus() == null ? "" : node.getStatus().getState().name().toLowerCase(java.util.Locale.ROOT),
                    node.getSpec().getAvailability().name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
