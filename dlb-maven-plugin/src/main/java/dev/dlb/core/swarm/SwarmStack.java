package dev.dlb.core.swarm;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The stack as Docker Swarm resources: plain values that the stack file writes as YAML and that the deploy
 * goal turns into the engine's service, network and volume specifications. Built by {@link SwarmTopology}.
 * Names are the stack's own ({@code web}, {@code dlb}); on the engine each is prefixed with the namespace
 * as {@code docker stack deploy} does ({@link #qualified}), and every service is reachable on its networks
 * by its own name as an alias, so that {@code tasks.web} resolves to every web task either way.
 *
 * @param namespace the stack's name: {@code docker stack deploy -c docker-stack.yml NAMESPACE}
 * @param notes what the Swarm form leaves out of the declaration, for the goals to report
 */
public record SwarmStack(String namespace, List<Service> services, List<Network> networks, List<Volume> volumes, List<String> notes) {

    public SwarmStack {
        services = List.copyOf(services);
        networks = List.copyOf(networks);
        volumes = List.copyOf(volumes);
        notes = List.copyOf(notes);
    }

    /** The engine's name of a service, network or volume of this stack, e.g. {@code shop_web}. */
    public String qualified(String name) {
        return namespace + "_" + name;
    }

    public Service service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /**
     * One service.
     *
     * @param endpointMode {@code dnsrr}: its name resolves to every task (a virtual IP does not route on every engine)
     * @param hostname the task's host name, a Swarm template such as {@code web-{{.Task.Slot}}}; empty keeps the engine's
     * @param environment values, some of them Swarm templates ({@code {{.Task.Slot}}}) that the engine expands per task
     * @param networks the stack's networks it is attached to, with its own name as alias
     * @param placement constraints as {@code docker service create --constraint} takes them
     * @param labels on the service and on each of its containers
     */
    public record Service(String name, String image, int replicas, String endpointMode, Optional<String> hostname,
                          SortedMap<String, String> environment, List<String> networks, List<Mount> mounts, List<Port> ports,
                          HealthProbe healthCheck, UpdatePolicy update, UpdatePolicy rollback, RestartPolicy restart,
                          Resources resources, List<String> placement, Hardening hardening, Duration stopGracePeriod,
                          SortedMap<String, String> labels) {

        public Service {
            environment = new TreeMap<>(environment);
            networks = List.copyOf(networks);
            mounts = List.copyOf(mounts);
            ports = List.copyOf(ports);
            placement = List.copyOf(placement);
            labels = new TreeMap<>(labels);
        }
    }

    /** An overlay network; {@code internal} ones have no route out of the swarm. */
    public record Network(String name, String driver, boolean attachable, boolean internal, SortedMap<String, String> labels) {

        public Network {
            labels = new TreeMap<>(labels);
        }
    }

    /** A named volume. With the {@code local} driver each node has its own, made on the node when a task first needs it. */
    public record Volume(String name, String driver, SortedMap<String, String> labels) {

        public Volume {
            labels = new TreeMap<>(labels);
        }
    }

    public enum MountType { VOLUME, TMPFS }

    /**
     * A mount of a task. A volume's is created on the node when a task first needs it, with the driver and labels of
     * the stack's {@link Volume} of that name, so they belong in the mount's volume options.
     *
     * @param source the stack's volume name (on the engine, {@link SwarmStack#qualified} of it); empty for tmpfs
     * @param tmpfsBytes size of a tmpfs, 0 for a volume
     */
    public record Mount(MountType type, String source, String target, long tmpfsBytes) {
    }

    /**
     * @param published the port on the node; 0 lets the engine choose
     * @param mode {@code host}: on the node the task runs on, on all its addresses
     */
    public record Port(int target, int published, String protocol, String mode) {
    }

    /** The image's own HEALTHCHECK, stated again so that the service does not depend on how the image was built. */
    public record HealthProbe(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {

        public HealthProbe {
            test = List.copyOf(test);
        }
    }

    /**
     * @param order {@code start-first}: a new task runs, and is healthy, before the one it replaces stops
     * @param failureAction {@code rollback}, {@code pause} or {@code continue}
     * @param monitor how long each new task is watched for a failure before the update goes on
     */
    public record UpdatePolicy(int parallelism, Duration delay, String order, String failureAction, Duration monitor) {
    }

    /**
     * @param condition {@code any}, {@code on-failure} or {@code none}
     * @param maxAttempts 0 is unlimited
     * @param window 0 is the engine's default
     */
    public record RestartPolicy(String condition, Duration delay, int maxAttempts, Duration window) {
    }

    /** Limits of each task. */
    public record Resources(long memoryBytes, long pids) {
    }

    /** What the engine lets a task do: a read-only root, few capabilities, a fixed open-file limit. */
    public record Hardening(boolean readOnlyRoot, List<String> capDrop, List<String> capAdd, long openFiles) {

        public Hardening {
            capDrop = List.copyOf(capDrop);
            capAdd = List.copyOf(capAdd);
        }
    }
}
