package dev.dlb.core.swarm;

import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.engine.ServicePlan;
import dev.dlb.core.spec.StackSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The shared Swarm model ({@link SwarmTopology}) as the engine's plans: names qualified by the stack's namespace as
 * {@code docker stack deploy} qualifies them, images by the registry the nodes pull from.
 */
public final class SwarmPlans {

    private SwarmPlans() {
    }

    /**
     * @param registry HOST[:PORT] of the registry the nodes pull from
     * @param balancerHost the host name or address by which this machine reaches the balancer's node
     */
    public static SwarmDeployment of(StackSpec spec, String registry, Optional<RegistryAuth> auth, String balancerHost) {
        SwarmStack stack = SwarmTopology.of(spec);
        String webImage = remote(registry, spec.web().image());
        String balancerImage = remote(registry, spec.balancer().image());
        List<SwarmDeployment.Network> networks = stack.networks().stream()
                .map(n -> new SwarmDeployment.Network(stack.qualified(n.name()), n.internal(), n.labels())).toList();
        return new SwarmDeployment(spec.projectId(),
                List.of(new SwarmDeployment.ImagePush(spec.web().image(), webImage),
                        new SwarmDeployment.ImagePush(spec.balancer().image(), balancerImage)),
                auth, networks, plan(stack, stack.service(SwarmTopology.WEB), webImage),
                plan(stack, stack.service(SwarmTopology.BALANCER), balancerImage),
                URI.create("http://" + balancerHost + ":" + spec.balancer().port() + "/"), spec.readyTimeout());
    }

    /** {@code dlb/shop-web:1.0} in registry {@code reg:5000} is {@code reg:5000/dlb/shop-web:1.0}. */
    static String remote(String registry, String image) {
        String path = image;
        int slash = image.indexOf('/');
        if (slash > 0 && (image.substring(0, slash).contains(".") || image.substring(0, slash).contains(":"))) {
            path = image.substring(slash + 1); // it named a registry of its own
        }
        return registry + "/" + path;
    }

    private static ServicePlan plan(SwarmStack stack, SwarmStack.Service s, String image) {
        List<ContainerPlan.VolumeMount> volumes = s.mounts().stream().filter(m -> m.type() == SwarmStack.MountType.VOLUME)
                .map(m -> new ContainerPlan.VolumeMount(stack.qualified(m.source()), m.target(), volumeLabels(stack, m.source()))).toList();
        Map<String, Long> tmpfs = s.mounts().stream().filter(m -> m.type() == SwarmStack.MountType.TMPFS)
                .collect(Collectors.toMap(SwarmStack.Mount::target, SwarmStack.Mount::tmpfsBytes));
        Optional<ServicePlan.HostPort> publish = s.ports().stream().findFirst().map(p -> new ServicePlan.HostPort(p.target(), p.published()));
        return new ServicePlan(stack.qualified(s.name()), image, s.labels(), s.replicas(), s.hostname(), s.environment(),
                s.networks().stream().map(stack::qualified).toList(), s.name(), SwarmTopology.DNSRR.equals(s.endpointMode()), publish,
                volumes, tmpfs, hardening(s.hardening()), s.placement(), new ServicePlan.Resources(s.resources().memoryBytes(), 0, s.resources().pids()),
                s.stopGracePeriod(), policy(s.update()), policy(s.rollback()));
    }

    private static ServicePlan.Hardening hardening(SwarmStack.Hardening h) {
        return new ServicePlan.Hardening(h.readOnlyRoot(), h.capDrop(), h.capAdd(), h.openFiles());
    }

    private static Map<String, String> volumeLabels(SwarmStack stack, String volume) {
        return stack.volumes().stream().filter(v -> v.name().equals(volume)).findFirst().map(SwarmStack.Volume::labels)
                .map(l -> (Map<String, String>) l).orElse(Map.of());
    }

    private static ServicePlan.UpdatePolicy policy(SwarmStack.UpdatePolicy p) {
        return new ServicePlan.UpdatePolicy(p.parallelism(), p.delay(), "start-first".equals(p.order()), p.failureAction(), p.monitor());
    }
}
