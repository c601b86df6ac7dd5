package dev.dlb.core.spec;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything needed to render, build and run one project's stack.
 *
 * @param projectId the owning project's coordinates ({@code groupId:artifactId}); labels every resource
 * @param name short DNS-safe name used as the prefix of every Docker resource
 * @param outputDirectory where render-config writes (target/dlb)
 */
public record StackSpec(
        String projectId,
        String name,
        Path outputDirectory,
        WebSpec web,
        BalancerSpec balancer,
        Duration readyTimeout,
        boolean keepVolumes,
        SwarmSpec swarm) {

    /** With the default Swarm settings. */
    public StackSpec(String projectId, String name, Path outputDirectory, WebSpec web, BalancerSpec balancer, Duration readyTimeout,
                     boolean keepVolumes) {
        this(projectId, name, outputDirectory, web, balancer, readyTimeout, keepVolumes, SwarmSpec.DEFAULTS);
    }

    public StackSpec withWeb(WebSpec newWeb) {
        return new StackSpec(projectId, name, outputDirectory, newWeb, balancer, readyTimeout, keepVolumes, swarm);
    }

    public StackSpec withBalancer(BalancerSpec newBalancer) {
        return new StackSpec(projectId, name, outputDirectory, web, newBalancer, readyTimeout, keepVolumes, swarm);
    }

    public StackSpec withSwarm(SwarmSpec newSwarm) {
        return new StackSpec(projectId, name, outputDirectory, web, balancer, readyTimeout, keepVolumes, newSwarm);
    }
}
