package dev.dlb.core.swarm;

import dev.dlb.core.run.Labels;
import dev.dlb.core.spec.Durations;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.SwarmSpec;
import dev.dlb.core.spec.Topology;
import dev.dlb.core.swarm.SwarmStack.Hardening;
import dev.dlb.core.swarm.SwarmStack.HealthProbe;
import dev.dlb.core.swarm.SwarmStack.Mount;
import dev.dlb.core.swarm.SwarmStack.MountType;
import dev.dlb.core.swarm.SwarmStack.Network;
import dev.dlb.core.swarm.SwarmStack.Port;
import dev.dlb.core.swarm.SwarmStack.Resources;
import dev.dlb.core.swarm.SwarmStack.RestartPolicy;
import dev.dlb.core.swarm.SwarmStack.Service;
import dev.dlb.core.swarm.SwarmStack.UpdatePolicy;
import dev.dlb.core.swarm.SwarmStack.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one description of the stack as Swarm services, from the same declaration as the containers:
 * <ul>
 * <li>web: one service of {@code <web><replicas>} tasks. Each task takes its identity from its slot, as Swarm
 * templates in its environment ({@code DLB_REPLICA={{.Task.Slot}}}), so confd renders {@code server N} and
 * {@code X-Dlb-Replica: web-N} at start as it does for a container. Endpoint mode dnsrr: {@code tasks.web}
 * resolves to every task. Rolling updates start the new task first and go on only once it is healthy.</li>
 * <li>balancer: one task, published in mode host (on its node's port, as ingress publishing does not answer
 * everywhere). It discovers the web tasks itself (DLB_DISCOVER, see dlb-watch.sh): each round it resolves
 * {@code tasks.web}, probes every address and keeps the rotation to those that answer.</li>
 * <li>networks: {@code dlb} for the balancer's traffic in and out, {@code dlb-web} internal, for the tier behind
 * it; both overlay and attachable, so that a container started by hand can reach them to diagnose.</li>
 * <li>volumes: per node with the local driver (tasks on one node share theirs), or one for the swarm with a
 * shared volume driver ({@code <swarm><volumeDriver>}).</li>
 * </ul>
 */
public final class SwarmTopology {

    public static final String WEB = "web";
    public static final String BALANCER = Topology.BALANCER;
    public static final String NETWORK = "dlb";
    public static final String WEB_NETWORK = "dlb-web";
    public static final String WEB_VOLUME = "web-data";
    public static final String BALANCER_VOLUME = "balancer-data";
    /** What the balancer resolves to find every running web task. */
    public static final String WEB_TASKS = "tasks." + WEB;
    public static final String SLOT = "{{.Task.Slot}}";
    /** {@link Topology#replicaName} of the task's slot. */
    public static final String REPLICA_NAME = "web-" + SLOT;
    /** Labels every resource with the stack it belongs to. */
    public static final String STACK_LABEL = "dev.dlb.stack";
    /**
     * The docker CLI's own stack label: services, networks and volumes created through the API with it are a stack to
     * {@code docker stack ls}, {@code ps} and {@code rm} as if {@code docker stack deploy} had made them.
     */
    public static final String NAMESPACE_LABEL = "com.docker.stack.namespace";
    public static final String DNSRR = "dnsrr";
    /** As the images' HEALTHCHECK (web and balancer Dockerfiles); SwarmTopologyTest keeps the two together. */
    public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(2);
    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    public static final int HEALTH_RETRIES = 3;
    public static final Duration HEALTH_START_PERIOD = Duration.ofSeconds(30);
    /** httpd's graceful stop (SIGWINCH) waits for requests under way; this bounds it. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private SwarmTopology() {
    }

    public static SwarmStack of(StackSpec spec) {
        List<String> notes = new ArrayList<>();
        if (!spec.web().replicaEnvironment().isEmpty()) {
            notes.add("<web><replicaEnvironments> (replicas " + spec.web().replicaEnvironment().keySet()
                    + ") is not carried into the Swarm form: one service has one environment; its tasks differ only by their slot");
        }
        List<Network> networks = List.of(
                new Network(NETWORK, "overlay", true, false, labels(spec, "network")),
                new Network(WEB_NETWORK, "overlay", true, true, labels(spec, "network")));
        List<Volume> volumes = List.of(
                new Volume(WEB_VOLUME, spec.swarm().volumeDriver(), labels(spec, "volume")),
                new Volume(BALANCER_VOLUME, spec.swarm().volumeDriver(), labels(spec, "volume")));
        return new SwarmStack(spec.name(), List.of(web(spec), balancer(spec)), networks, volumes, notes);
    }

    /**
     * The name the balancer gives a task it discovered, in its rotation ({@code /dlb-balancer-rotation}) and in
     * {@code /dlb-replica/NAME/}: {@code task-10-0-1-5} for 10.0.1.5, as dlb-watch.sh writes it.
     */
    public static String taskName(String address) {
        return "task-" + address.replace("[", "").replace("]", "").replace('.', '-').replace(':', '-');
    }

    /** A web task's environment: the slot stands where a container has its replica number. */
    public static SortedMap<String, String> webEnvironment(StackSpec spec) {
        SortedMap<String, String> env = new TreeMap<>(spec.web().environment());
        env.put("DLB_REPLICA", SLOT);
        env.put("DLB_REPLICA_NAME", REPLICA_NAME);
        env.put("DLB_HTTPD_WORKERS", Integer.toString(spec.web().workers()));
        return env;
    }

    /** The balancer's environment: the containers' form, with discovery in place of a fixed list of replicas. */
    public static SortedMap<String, String> balancerEnvironment(StackSpec spec) {
        SortedMap<String, String> env = new TreeMap<>(Topology.balancerEnvironment(spec));
        env.remove("DLB_UPSTREAMS");
        env.put("DLB_DISCOVER", WEB_TASKS);
        return env;
    }

    private static Service web(StackSpec spec) {
        SwarmSpec swarm = spec.swarm();
        UpdatePolicy update = new UpdatePolicy(swarm.updateParallelism(), Durations.parse(swarm.updateDelay()).orElseThrow(),
                swarm.updateOrder(), "rollback", Duration.ofSeconds(5));
        UpdatePolicy rollback = new UpdatePolicy(swarm.updateParallelism(), Duration.ZERO, swarm.updateOrder(), "pause", Duration.ofSeconds(5));
        List<Mount> mounts = new ArrayList<>();
        mounts.add(new Mount(MountType.VOLUME, WEB_VOLUME, Topology.WEB_DATA_MOUNT, 0));
        mounts.addAll(tmpfs(Topology.WEB_TMPFS));
        return new Service(WEB, spec.web().image(), spec.web().replicas(), DNSRR, Optional.of(REPLICA_NAME),
                webEnvironment(spec), List.of(WEB_NETWORK), mounts, List.of(), health(Topology.HEALTH_PATH), update, rollback,
                restart(), resources(spec.web().limits()), swarm.placement(), hardening(), STOP_GRACE, labels(spec, WEB));
    }

    /** One task: its port is the node's, so a second one on the same node could not start; updates stop it first. */
    private static Service balancer(StackSpec spec) {
        UpdatePolicy update = new UpdatePolicy(1, Duration.ZERO, SwarmSpec.STOP_FIRST, "rollback", Duration.ofSeconds(5));
        UpdatePolicy rollback = new UpdatePolicy(1, Duration.ZERO, SwarmSpec.STOP_FIRST, "pause", Duration.ofSeconds(5));
        List<Mount> mounts = new ArrayList<>();
        mounts.add(new Mount(MountType.VOLUME, BALANCER_VOLUME, Topology.BALANCER_DATA_MOUNT, 0));
        mounts.addAll(tmpfs(Topology.BALANCER_TMPFS));
        Port port = new Port(Topology.HTTP_PORT, spec.balancer().port(), "tcp", "host");
        return new Service(BALANCER, spec.balancer().image(), 1, DNSRR, Optional.empty(), balancerEnvironment(spec),
                List.of(NETWORK, WEB_NETWORK), mounts, List.of(port), health("/dlb-balancer-health"), update, rollback, restart(),
                resources(spec.balancer().limits()), spec.swarm().balancerPlacement(), hardening(), STOP_GRACE, labels(spec, BALANCER));
    }

    private static HealthProbe health(String path) {
        return new HealthProbe(List.of("CMD", "/usr/local/bin/dlb-healthcheck.sh", path), HEALTH_INTERVAL, HEALTH_TIMEOUT,
                HEALTH_RETRIES, HEALTH_START_PERIOD);
    }

    private static RestartPolicy restart() {
        return new RestartPolicy("any", Duration.ofSeconds(1), 0, Duration.ZERO);
    }

    private static Resources resources(Limits limits) {
        return new Resources(limits.memoryBytes().orElseThrow(() -> new IllegalStateException("unvalidated memory " + limits.memory())),
                limits.pids());
    }

    private static Hardening hardening() {
        return new Hardening(true, List.of("ALL"), Topology.CAPABILITIES, Topology.OPEN_FILES);
    }

    private static List<Mount> tmpfs(Map<String, String> mounts) {
        return mounts.entrySet().stream()
                .map(m -> new Mount(MountType.TMPFS, "", m.getKey(), new Limits(m.getValue(), 0).memoryBytes().orElseThrow()))
                .toList();
    }

    private static SortedMap<String, String> labels(StackSpec spec, String role) {
        SortedMap<String, String> labels = new TreeMap<>();
        labels.put(Labels.PROJECT, spec.projectId());
        labels.put(STACK_LABEL, spec.name());
        labels.put(NAMESPACE_LABEL, spec.name());
        labels.put(Labels.ROLE, role);
        return labels;
    }
}
