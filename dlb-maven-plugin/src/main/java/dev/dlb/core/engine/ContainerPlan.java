package dev.dlb.core.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container to create.
 *
 * @param networks the first is its primary network; it joins the others before it starts. On each
 *                 it is known by {@code hostname}
 * @param volumes named volumes to mount
 * @param publish host address and port (0: any free one) to publish {@code containerPort} on; empty keeps it unpublished
 * @param restartRetries how often the engine restarts it after it exits on failure; 0 never
 */
public record ContainerPlan(
        String name,
        String image,
        String hostname,
        List<String> networks,
        Map<String, String> environment,
        Map<String, String> labels,
        List<VolumeMount> volumes,
        int containerPort,
        Optional<HostBinding> publish,
        int restartRetries,
        Hardening hardening) {

    public record HostBinding(String address, int port) {
    }

    /** A named volume mounted at {@code path}; if it does not exist when the container is created, it is created with {@code labels}. */
    public record VolumeMount(String volume, String path, Map<String, String> labels) {
    }

    /**
     * Least privilege: every capability dropped but {@code capabilities}, no new privileges, limits,
     * and a read-only root file system with {@code tmpfs} mounts where the software allows.
     *
     * @param tmpfs mount path to its size (e.g. 16m)
     * @param openFiles the open-file limit, soft and hard
     */
    public record Hardening(List<String> capabilities, long memoryBytes, long pids, boolean readOnlyRoot, Map<String, String> tmpfs,
                            long openFiles) {
    }
}
