package dev.dlb.core.testing;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.ContainerState;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.ImageInfo;
import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ResourceInUseException;
import dev.dlb.core.engine.ServicePlan;
import dev.dlb.core.engine.ServiceState;
import dev.dlb.core.engine.SwarmNode;
import dev.dlb.core.engine.TaskState;
import dev.dlb.core.engine.ToolPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * An in-memory engine: keeps what was created, records every call in order ("create container x",
 * "remove network y", ...), and can refuse a container, report one as exited, or hold one create back.
 * Like Docker, it creates a volume a container mounts when it is missing, and refuses to remove a volume
 * that a container mounts.
 */
public final class FakeEngine implements ContainerEngine {

    /** The host port the engine "chooses" when asked for any free one. */
    public static final int FREE_PORT = 49153;

    private final List<String> calls = new ArrayList<>();
    private final List<String> inspected = new ArrayList<>();
    private final Map<String, ImageInfo> images = new HashMap<>();
    private final Map<String, ImageInfo> pullable = new HashMap<>();
    private final Map<String, Resource> live = new LinkedHashMap<>();
    private final Map<String, ContainerPlan> plans = new HashMap<>();
    private final Map<String, ContainerState> states = new HashMap<>();
    /** Container id to the names of the volumes it mounts. */
    private final Map<String, Set<String>> mounts = new HashMap<>();
    private final List<Map<String, String>> buildLabels = new ArrayList<>();
    private final CountDownLatch removalStarted = new CountDownLatch(1);
    private String refuseHostname;
    private String refuseStartHostname;
    private String refuseStartMessage;
    private String holdHostname;
    private String silentFromHostname;
    private boolean silent;
    private final Map<String, String> refusedRemovals = new HashMap<>();
    private int nextId;
    private String architecture = "x86_64";
    private final List<ToolPlan> toolPlans = new ArrayList<>();
    private ToolRun toolRun = new ToolRun(0, List.of(), "a tool's output file".getBytes(StandardCharsets.UTF_8));

    /** What a tool container does: the lines it prints, its exit code and the bytes of the file copied out of it. */
    public record ToolRun(long exitCode, List<String> output, byte[] file) {
    }

    /** An engine that holds the two images the default spec runs. */
    public static FakeEngine withStackImages() {
        return new FakeEngine().image(SpecBuilder.WEB_IMAGE, "sha256:web", Map.of())
                .image(SpecBuilder.BALANCER_IMAGE, "sha256:balancer", Map.of());
    }

    public synchronized FakeEngine image(String reference, String id, Map<String, String> labels) {
        images.put(reference, new ImageInfo(id, labels));
        return this;
    }

    /** An image a pull finds in the "registry". */
    public synchronized FakeEngine pullable(String reference, String id) {
        pullable.put(reference, new ImageInfo(id, Map.of()));
        return this;
    }

    /** What the engine reports as its architecture (the default: x86_64). */
    public synchronized FakeEngine architecture(String architecture) {
        this.architecture = architecture;
        return this;
    }

    /** What every tool container does from now on. */
    public synchronized FakeEngine toolRun(ToolRun run) {
        toolRun = run;
        return this;
    }

    public synchronized List<ToolPlan> toolPlans() {
        return List.copyOf(toolPlans);
    }

    /** The create of the container with this host name (web-2, balancer) fails. */
    public synchronized FakeEngine refuseContainer(String hostname) {
        refuseHostname = hostname;
        return this;
    }

    /** Starting the container with this host name fails with this message, as the engine words it. */
    public synchronized FakeEngine refuseStart(String hostname, String message) {
        refuseStartHostname = hostname;
        refuseStartMessage = message;
        return this;
    }

    /**
     * The create of the container with this host name waits until the first removal begins, for at most half
     * a second; so a starter that cleans up while a create is still under way leaves that container behind.
     */
    public synchronized FakeEngine holdContainerUntilRemoval(String hostname) {
        holdHostname = hostname;
        return this;
    }

    /** From the create of the container with this host name on, the engine answers nothing: that call and every later one fail. */
    public synchronized FakeEngine silentFrom(String hostname) {
        silentFromHostname = hostname;
        return this;
    }

    /** Removing the resource of this name fails with this message, as the engine words it (answered, not silent). */
    public synchronized FakeEngine refuseRemoval(String name, String message) {
        refusedRemovals.put(name, message);
        return this;
    }

    /** The engine answers nothing from now on (true), or again (false). */
    public synchronized FakeEngine silent(boolean silent) {
        this.silent = silent;
        return this;
    }

    /** What inspecting the container with this host name reports, once created. */
    public synchronized FakeEngine containerStatus(String hostname, String status, long exitCode) {
        states.put(hostname, new ContainerState(hostname, status, Optional.empty(), List.of(), exitCode, Optional.empty()));
        return this;
    }

    /** Something an earlier process created. */
    public synchronized Resource add(Resource.Kind kind, String name, Map<String, String> labels) {
        Resource r = new Resource(kind, kind == Resource.Kind.VOLUME ? name : "old-" + (++nextId), name, labels);
        live.put(r.id(), r);
        return r;
    }

    /** An earlier process's container that mounts these volumes: the engine refuses to remove them while it exists. */
    public synchronized Resource addContainer(String name, Map<String, String> labels, String... volumes) {
        Resource r = add(Resource.Kind.CONTAINER, name, labels);
        mounts.put(r.id(), Set.of(volumes));
        return r;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The containers inspected, by name, in order. */
    public synchronized List<String> inspected() {
        return List.copyOf(inspected);
    }

    public synchronized List<Resource> live() {
        return List.copyOf(live.values());
    }

    public synchronized List<String> liveNames() {
        return live.values().stream().map(Resource::name).sorted().toList();
    }

    public synchronized List<ContainerPlan> plans() {
        return List.copyOf(plans.values());
    }

    public synchronized List<Map<String, String>> buildLabels() {
        return List.copyOf(buildLabels);
    }

    @Override
    public synchronized void ping() throws EngineException {
        answer("ping");
        calls.add("ping");
    }

    @Override
    public synchronized String architecture() throws EngineException {
        answer("architecture");
        calls.add("architecture");
        return architecture;
    }

    @Override
    public synchronized Optional<ImageInfo> inspectImage(String reference) throws EngineException {
        answer("inspect image " + reference);
        return Optional.ofNullable(images.get(reference));
    }

    @Override
    public synchronized void pullImage(String reference, Consumer<String> output) throws EngineException {
        answer("pull " + reference);
        calls.add("pull " + reference);
        ImageInfo found = pullable.get(reference);
        if (found == null) {
            throw new EngineException("pull access denied for " + reference);
        }
        images.put(reference, found);
    }

    @Override
    public synchronized String buildImage(Path contextDir, String tag, Map<String, String> labels, Consumer<String> output)
            throws EngineException {
        answer("build " + tag);
        calls.add("build " + tag);
        buildLabels.add(Map.copyOf(labels));
        String id = "sha256:built-" + (++nextId);
        images.put(tag, new ImageInfo(id, Map.copyOf(labels)));
        return id;
    }

    @Override
    public synchronized String createNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException {
        answer("create network " + name);
        return register(new Resource(Resource.Kind.NETWORK, "net-" + (++nextId), name, Map.copyOf(labels)));
    }

    /** Names taken by resources this fake holds, plus any declared foreign with {@link #foreignName}. */
    @Override
    public synchronized List<String> namesInUse(List<String> names) throws EngineException {
        answer("names in use");
        return names.stream().filter(n -> foreignNames.contains(n) || live.values().stream().anyMatch(r -> r.name().equals(n))).toList();
    }

    /** Declares a container, network or volume of that name that some other tool made (unlabelled, so list never finds it). */
    public synchronized FakeEngine foreignName(String name) {
        foreignNames.add(name);
        return this;
    }

    private final java.util.Set<String> foreignNames = new java.util.HashSet<>();

    @Override
    public synchronized String createVolume(String name, Map<String, String> labels) throws EngineException {
        answer("create volume " + name);
        calls.add("create volume " + name);
        live.putIfAbsent(name, new Resource(Resource.Kind.VOLUME, name, name, Map.copyOf(labels)));
        return name;
    }

    @Override
    public String createContainer(ContainerPlan plan) throws EngineException {
        synchronized (this) {
            silent |= plan.hostname().equals(silentFromHostname);
            answer("create container " + plan.name());
            if (plan.hostname().equals(refuseHostname)) {
                calls.add("refuse container " + plan.name());
                throw new EngineException("the engine refused " + plan.name());
            }
        }
        if (plan.hostname().equals(holdHostname)) {
            awaitRemoval();
        }
        synchronized (this) {
            // as Docker does with mounts: a missing volume is created, with the mount's labels
            plan.volumes().forEach(v -> live.computeIfAbsent(v.volume(),
                    name -> new Resource(Resource.Kind.VOLUME, name, name, Map.copyOf(v.labels()))));
            String id = register(new Resource(Resource.Kind.CONTAINER, "ctr-" + (++nextId), plan.name(), Map.copyOf(plan.labels())));
            plans.put(id, plan);
            mounts.put(id, plan.volumes().stream().map(ContainerPlan.VolumeMount::volume).collect(Collectors.toSet()));
            return id;
        }
    }

    @Override
    public synchronized String createToolContainer(ToolPlan plan) throws EngineException {
        answer("create tool container " + plan.name());
        if (!images.containsKey(plan.image())) {
            throw new EngineException("No such image: " + plan.image());
        }
        toolPlans.add(plan);
        return register(new Resource(Resource.Kind.CONTAINER, "ctr-" + (++nextId), plan.name(), plan.labels()));
    }

    @Override
    public synchronized long awaitExit(String id, Consumer<String> output) throws EngineException {
        answer("await exit " + id);
        calls.add("await exit " + live.get(id).name());
        toolRun.output().forEach(output);
        return toolRun.exitCode();
    }

    @Override
    public synchronized void copyFile(String id, String path, Path target) throws EngineException {
        answer("copy " + path);
        calls.add("copy " + path + " out of " + live.get(id).name());
        try {
            Files.write(target, toolRun.file());
        } catch (IOException e) {
            throw new EngineException("cannot write " + target, e);
        }
    }

    @Override
    public synchronized void startContainer(String id) throws EngineException {
        answer("start " + id);
        calls.add("start " + live.get(id).name());
        ContainerPlan plan = plans.get(id); // none for a tool container
        if (plan != null && plan.hostname().equals(refuseStartHostname)) {
            throw new EngineException("Docker could not start container " + id + ": " + refuseStartMessage);
        }
    }

    @Override
    public synchronized ContainerState inspectContainer(String id) throws EngineException {
        answer("inspect " + id);
        ContainerPlan plan = plans.get(id);
        inspected.add(plan == null ? id : plan.name());
        if (plan == null || !live.containsKey(id)) {
            throw new EngineException("no such container " + id);
        }
        ContainerState set = states.get(plan.hostname());
        Optional<Integer> hostPort = plan.publish().map(b -> b.port() == 0 ? FREE_PORT : b.port());
        return new ContainerState(plan.name(), set == null ? "running" : set.status(), Optional.empty(), List.of(),
                set == null ? 0 : set.exitCode(), hostPort);
    }

    /** Records the stop; a container here ends at once, and stays until removed. */
    @Override
    public synchronized void stopContainer(String id, Duration timeout) throws EngineException {
        answer("stop " + id);
        Resource r = live.get(id);
        if (r != null) {
            calls.add("stop " + r.name() + " within " + timeout.toMillis() + " ms");
        }
    }

    @Override
    public synchronized String logs(String id, int lines) throws EngineException {
        answer("logs " + id);
        return "log of " + id;
    }

    @Override
    public synchronized List<Resource> list(Map<String, String> labels) throws EngineException {
        answer("list " + labels);
        Set<Map.Entry<String, String>> wanted = labels.entrySet();
        return live.values().stream().filter(r -> !SWARM_KINDS.contains(r.kind()) && r.labels().entrySet().containsAll(wanted)).toList();
    }

    // --- Swarm: services run every replica at once, one task per slot, spread over the nodes in turn

    private static final Set<Resource.Kind> SWARM_KINDS = Set.of(Resource.Kind.SERVICE, Resource.Kind.CONFIG, Resource.Kind.SECRET);
    private final Map<String, ServicePlan> services = new LinkedHashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    private final List<String> pushed = new ArrayList<>();
    private List<SwarmNode> nodes = List.of(new SwarmNode("n1", "node1", "manager", "ready", "active"),
            new SwarmNode("n2", "node2", "worker", "ready", "active"));
    private String refuseServiceName;

    /** The swarm's nodes; none: this engine is no swarm manager. */
    public synchronized FakeEngine swarmNodes(SwarmNode... all) {
        nodes = List.of(all);
        return this;
    }

    /** Creating the service of this name fails, as when the engine refuses its spec. */
    public synchronized FakeEngine refuseService(String name) {
        refuseServiceName = name;
        return this;
    }

    /** References pushed, with the user they were pushed as ("anonymous" without credentials). */
    public synchronized List<String> pushed() {
        return List.copyOf(pushed);
    }

    public synchronized Optional<ServicePlan> service(String name) {
        return services.values().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    @Override
    public synchronized void tagImage(String image, String reference) throws EngineException {
        answer("tag " + image);
        ImageInfo info = images.get(image);
        if (info == null) {
            throw new EngineException("no such image: " + image);
        }
        calls.add("tag " + image + " " + reference);
        images.put(reference, info);
    }

    @Override
    public synchronized void pushImage(String reference, Optional<RegistryAuth> auth, Consumer<String> output) throws EngineException {
        answer("push " + reference);
        if (!images.containsKey(reference)) {
            throw new EngineException("no such image: " + reference);
        }
        calls.add("push " + reference);
        pushed.add(reference + " as " + auth.map(RegistryAuth::username).orElse("anonymous"));
    }

    @Override
    public synchronized String createOverlayNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException {
        answer("create overlay network " + name);
        return register(new Resource(Resource.Kind.NETWORK, "net-" + name, name, labels));
    }

    @Override
    public synchronized String createService(ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        answer("create service " + plan.name());
        if (plan.name().equals(refuseServiceName)) {
            calls.add("refuse service " + plan.name());
            throw new EngineException("Docker could not create service " + plan.name() + ": refused");
        }
        String id = register(new Resource(Resource.Kind.SERVICE, "svc-" + plan.name(), plan.name(), plan.labels()));
        // as a node does when it starts the service's first task: a missing volume is created, with the mount's labels
        plan.volumes().forEach(v -> live.computeIfAbsent(v.volume(), name -> new Resource(Resource.Kind.VOLUME, name, name, Map.copyOf(v.labels()))));
        services.put(id, plan);
        versions.put(id, 1L);
        return id;
    }

    @Override
    public synchronized void updateService(String id, long version, ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        answer("update service " + plan.name());
        if (!services.containsKey(id)) {
            throw new EngineException("no such service: " + id);
        }
        if (versions.get(id) != version) {
            throw new EngineException("update out of sequence");
        }
        calls.add("update service " + plan.name());
        services.put(id, plan);
        versions.put(id, version + 1);
    }

    @Override
    public synchronized Optional<ServiceState> inspectService(String nameOrId) throws EngineException {
        answer("inspect service " + nameOrId);
        return services.entrySet().stream().filter(e -> e.getKey().equals(nameOrId) || e.getValue().name().equals(nameOrId)).findFirst()
                .map(e -> new ServiceState(e.getKey(), e.getValue().name(), versions.get(e.getKey()), e.getValue().labels(),
                        e.getValue().image(), e.getValue().replicas(), e.getValue().environment(), Optional.of("completed"), ""));
    }

    @Override
    public synchronized List<TaskState> listTasks(String serviceId) throws EngineException {
        answer("list tasks " + serviceId);
        ServicePlan plan = services.get(serviceId);
        if (plan == null || nodes.isEmpty()) {
            return List.of();
        }
        List<TaskState> tasks = new ArrayList<>();
        for (int slot = 1; slot <= plan.replicas(); slot++) {
            tasks.add(new TaskState(serviceId + "." + slot, serviceId, slot, nodes.get((slot - 1) % nodes.size()).id(), "running", "running", ""));
        }
        return tasks;
    }

    @Override
    public synchronized List<SwarmNode> nodes() throws EngineException {
        answer("list nodes");
        if (nodes.isEmpty()) {
            throw new EngineException("The Docker engine at fake is no manager of a swarm");
        }
        return nodes;
    }

    @Override
    public synchronized List<Resource> listSwarm(Map<String, String> labels) throws EngineException {
        answer("list swarm " + labels);
        Set<Map.Entry<String, String>> wanted = labels.entrySet();
        return live.values().stream().filter(r -> SWARM_KINDS.contains(r.kind()) && r.labels().entrySet().containsAll(wanted)).toList();
    }

    @Override
    public void remove(Resource resource) throws EngineException {
        removalStarted.countDown();
        synchronized (this) {
            answer("remove " + resource);
            if (refusedRemovals.containsKey(resource.name())) {
                calls.add("refuse to remove " + resource);
                throw new EngineException(refusedRemovals.get(resource.name()));
            }
            if (resource.kind() == Resource.Kind.VOLUME && inUse(resource.name())) {
                calls.add("refuse to remove " + resource);
                throw new ResourceInUseException(resource + " is in use", null);
            }
            calls.add("remove " + resource);
            live.remove(resource.id());
            services.remove(resource.id());
        }
    }

    private boolean inUse(String volume) {
        return mounts.entrySet().stream().anyMatch(m -> live.containsKey(m.getKey()) && m.getValue().contains(volume));
    }

    @Override
    public void close() {
    }

    private void answer(String what) throws EngineException {
        if (silent) {
            calls.add("unanswered " + what);
            throw EngineException.unanswered("the engine did not answer: " + what, null);
        }
    }

    private String register(Resource r) {
        calls.add("create " + r);
        live.put(r.id(), r);
        return r.id();
    }

    private void awaitRemoval() throws EngineException {
        try {
            removalStarted.await(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted", e);
        }
    }
}
