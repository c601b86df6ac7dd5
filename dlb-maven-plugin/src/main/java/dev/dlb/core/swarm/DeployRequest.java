package dev.dlb.core.swarm;

import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import dev.dlb.core.spec.StackSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a deploy needs beyond the stack's declaration, checked before anything is pushed or created: the registry
 * the nodes pull from and a fixed balancer port (Swarm publishes it on its node, in mode host).
 */
public final class DeployRequest {

    /** HOST[:PORT], as an image reference starts: no scheme, no path. */
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");

    private DeployRequest() {
    }

    /**
     * @param registry {@code <registry>} of the POM
     * @param credentials the settings.xml server of that id, if any
     * @param balancerHost how this machine reaches the balancer's node
     */
    public static SwarmDeployment plan(StackSpec spec, String registry, Optional<RegistryAuth> credentials, String balancerHost) {
        List<Problem> problems = new ArrayList<>();
        String value = Optional.ofNullable(registry).orElse("").strip();
        if (value.isEmpty()) {
            problems.add(new Problem("<registry>", value, "deploy pushes both images to a registry that every node of the swarm pulls from",
                    "set <registry> (-Ddlb.registry) to its HOST[:PORT], e.g. registry.example.com:5000; its credentials come from the "
                            + "settings.xml <server> of that id"));
        } else if (!REGISTRY.matcher(value).matches()) {
            problems.add(new Problem("<registry>", value, "it is not a registry's HOST[:PORT]",
                    "give it as an image reference starts, without http:// or a path, e.g. registry.example.com:5000"));
        }
        if (spec.balancer().port() == 0) {
            problems.add(new Problem("<balancer><port>", "0", "a swarm publishes the balancer on a fixed port of its node (mode host)",
                    "set <balancer><port> (-Ddlb.balancer.port) to the port to publish, e.g. 8080"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return SwarmPlans.of(spec, value, credentials, balancerHost);
    }
}
