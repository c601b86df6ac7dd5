package dev.dlb.core.swarm;

import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.engine.ServicePlan;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One deployment of the stack to a swarm, ready for the engine: the images to push, the overlay networks, the web
 * and balancer services, and where the balancer answers once it is published.
 *
 * @param images each local image and the registry reference the nodes pull it by
 * @param balancerUrl the published balancer, as this machine reaches it
 */
public record SwarmDeployment(String projectId, List<ImagePush> images, Optional<RegistryAuth> auth, List<Network> networks,
                              ServicePlan web, ServicePlan balancer, URI balancerUrl, Duration readyTimeout) {

    public SwarmDeployment {
        images = List.copyOf(images);
        networks = List.copyOf(networks);
    }

    /** An overlay network of the swarm, by its engine name. */
    public record Network(String name, boolean internal, java.util.Map<String, String> labels) {
    }

    /** {@code local} tagged as {@code remote} and pushed. */
    public record ImagePush(String local, String remote) {
    }
}
