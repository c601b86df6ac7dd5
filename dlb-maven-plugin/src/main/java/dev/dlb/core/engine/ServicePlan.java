package dev.dlb.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Swarm service to create or to update to. Environment values may hold Swarm's templates
 * ({@code {{.Task.Slot}}}), which the engine fills per task.
 *
 * @param hostname each task's host name, a Swarm template such as {@code web-{{.Task.Slot}}}; empty keeps the engine's
 * @param networks overlay networks the tasks join, known there by {@code alias} as well as by the service's name
 * @param dnsrr the service's name resolves to every task's address (no virtual IP)
 * @param publish a port published in host mode on the node that runs the task; empty keeps it unpublished
 * @param volumes named volumes, local to each node that runs a task
 * @param tmpfs mount path to its size in bytes
 * @param hardening what a task may do: read-only root, capabilities, open files
 * @param constraints placement constraints, as {@code docker service create --constraint} takes them
 * @param stopGracePeriod how long a stopping task may take before it is killed
 */
public record ServicePlan(
        String name,
        String image,
        Map<String, String> labels,
        int replicas,
        Optional<String> hostname,
        Map<String, String> environment,
        List<String> networks,
        String alias,
        boolean dnsrr,
        Optional<HostPort> publish,
        List<ContainerPlan.VolumeMount> volumes,
        Map<String, Long> tmpfs,
        Hardening hardening,
        List<String> constraints,
        Resources resources,
        Duration stopGracePeriod,
        UpdatePolicy update,
        UpdatePolicy rollback) {

    public ServicePlan {
        labels = Map.copyOf(labels);
        environment = Map.copyOf(environment);
        networks = List.copyOf(networks);
        volumes = List.copyOf(volumes);
        tmpfs = Map.copyOf(tmpfs);
        constraints = List.copyOf(constraints);
    }

    /** The same service with another number of replicas. */
    public ServicePlan withReplicas(int count) {
        return new ServicePlan(name, image, labels, count, hostname, environment, networks, alias, dnsrr, publish, volumes, tmpfs, hardening,
                constraints, resources, stopGracePeriod, update, rollback);
    }

    /** The same service with another environment (a new value makes a rolling update). */
    public ServicePlan withEnvironment(Map<String, String> values) {
        return new ServicePlan(name, image, labels, replicas, hostname, values, networks, alias, dnsrr, publish, volumes, tmpfs, hardening,
                constraints, resources, stopGracePeriod, update, rollback);
    }

    /** {@code published} on the node's own interfaces to {@code target} in the task. */
    public record HostPort(int target, int published) {
    }

    /** Limits per task: memory in bytes, CPU in billionths of a CPU, processes and threads; 0 is none. */
    public record Resources(long memoryBytes, long nanoCpus, long pids) {

        public static final Resources NONE = new Resources(0, 0, 0);
    }

    /**
     * What a task may do.
     *
     * @param readOnlyRoot the tasks' root file systems are read-only (the tmpfs mounts are where they write)
     * @param capDrop capabilities dropped ({@code ALL}), then {@code capAdd} the ones kept, as {@code docker run} names them
     * @param openFiles the soft and hard {@code nofile} limit; 0 keeps the engine's
     */
    public record Hardening(boolean readOnlyRoot, List<String> capDrop, List<String> capAdd, long openFiles) {

        public static final Hardening NONE = new Hardening(false, List.of(), List.of(), 0);

        public Hardening {
            capDrop = List.copyOf(capDrop);
            capAdd = List.copyOf(capAdd);
        }
    }

    /**
     * How a changed service replaces its tasks: {@code parallelism} at a time, {@code delay} between, the new task
     * started before the old one stops if {@code startFirst}; on a failed task, {@code failureAction} (rollback, pause, continue).
     */
    public record UpdatePolicy(int parallelism, Duration delay, boolean startFirst, String failureAction, Duration monitor) {
    }
}
