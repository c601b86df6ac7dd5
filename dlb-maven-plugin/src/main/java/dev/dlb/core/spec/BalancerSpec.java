package dev.dlb.core.spec;

/**
 * The nginx balancer: the only published container.
 *
 * @param port host port; 0 lets the engine choose a free one at start
 * @param strategy one of {@link Strategy#allIds()}, as written in the POM; checked by {@link SpecValidator}
 * @param retry whether a request that failed on one replica is retried on another (off only to see failures)
 */
public record BalancerSpec(String baseImage, String image, String bindAddress, int port, String strategy, Limits limits,
                           boolean retry) {

    public Strategy parsedStrategy() {
        return Strategy.parse(strategy).orElseThrow(() -> new IllegalStateException("unvalidated strategy " + strategy));
    }
}
