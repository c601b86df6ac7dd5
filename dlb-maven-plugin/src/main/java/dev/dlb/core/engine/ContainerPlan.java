package dev.dlb.core.engine;

import java.util.Map;
import java.util.Optional;

/**
 * One container to create.
 *
 * @param volumes volume name to mount path
 * @param publish host address and port (0: any free one) to publish {@code containerPort} on; empty keeps it unpublished
 * @param restartRetries how often the engine restarts it after it exits on failure; 0 never
 */
public record ContainerPlan(
        String name,
        String image,
        String hostname,
        String network,
        Map<String, String> environment,
        Map<String, String> labels,
        Map<String, String> volumes,
        int containerPort,
        Optional<HostBinding> publish,
        int restartRetries) {

    public record HostBinding(String address, int port) {
    }
}
