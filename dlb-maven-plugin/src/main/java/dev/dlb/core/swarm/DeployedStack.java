package dev.dlb.core.swarm;

import java.net.URI;
import java.util.List;

/**
 * What a deploy left running.
 *
 * @param updated whether it updated services that were there (rolling) rather than creating them
 * @param nodes the host names of the nodes that run a web task
 */
public record DeployedStack(URI balancerUrl, int replicas, boolean updated, List<String> nodes) {
}
