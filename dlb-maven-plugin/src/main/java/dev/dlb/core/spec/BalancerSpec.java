package dev.dlb.core.spec;

/**
 * The nginx balancer: the only published container.
 *
 * @param port host port; 0 lets the engine choose a free one at start
 * @param strategy one of {@link Strategy#allIds()}, as written in the POM; checked by {@link SpecValidator}
 * @param retry whether a request that failed on one replica is retried on another (off only to see failures)
 * @param reach how the build reaches it once published
 */
public record BalancerSpec(String baseImage, String image, String bindAddress, int port, String strategy, Limits limits,
                           boolean retry, BalancerTuning tuning, HealthCheck healthCheck, Reach reach) {

    /** Published by an engine on this machine. */
    public BalancerSpec(String baseImage, String image, String bindAddress, int port, String strategy, Limits limits,
                        boolean retry, BalancerTuning tuning, HealthCheck healthCheck) {
        this(baseImage, image, bindAddress, port, strategy, limits, retry, tuning, healthCheck, Reach.local(bindAddress));
    }

    public BalancerSpec withPort(int newPort) {
        return new BalancerSpec(baseImage, image, bindAddress, newPort, strategy, limits, retry, tuning, healthCheck, reach);
    }

    public BalancerSpec withTuning(BalancerTuning newTuning, HealthCheck newHealthCheck) {
        return new BalancerSpec(baseImage, image, bindAddress, port, strategy, limits, retry, newTuning, newHealthCheck, reach);
    }

    /** Published by another engine: on this bind address, reached as {@code reach} says. */
    public BalancerSpec publishedAt(String newBindAddress, Reach newReach) {
        return new BalancerSpec(baseImage, image, newBindAddress, port, strategy, limits, retry, tuning, healthCheck, newReach);
    }

    public Strategy parsedStrategy() {
        return Strategy.parse(strategy).orElseThrow(() -> new IllegalStateException("unvalidated strategy " + strategy));
    }
}
