package dev.dlb.core.engine;

import java.util.List;
import java.util.Optional;

/**
 * What the engine says of a container now.
 *
 * @param status created, running, restarting, exited, ...
 * @param health starting, healthy or unhealthy; empty without a HEALTHCHECK
 * @param healthLog the last health probe outputs, oldest first
 * @param hostPort the host port its published port is bound to, if published
 */
public record ContainerState(String name, String status, Optional<String> health, List<String> healthLog, long exitCode,
                             Optional<Integer> hostPort) {

    public boolean running() {
        return "running".equals(status);
    }

    public boolean healthy() {
        return health.map("healthy"::equals).orElse(running());
    }

    public boolean ended() {
        return "exited".equals(status) || "dead".equals(status);
    }

    public String describe() {
        return status + health.map(h -> " (" + h + ")").orElse("") + (ended() ? ", exit code " + exitCode : "");
    }
}
