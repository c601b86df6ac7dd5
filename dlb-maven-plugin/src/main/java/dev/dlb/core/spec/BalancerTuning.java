package dev.dlb.core.spec;

/**
 * How the balancer proxies: its timeouts, passive checks and connection sizes. Durations are written
 * as nginx writes them ({@code 500ms}, {@code 3s}, {@code 1m}); checked by {@link SpecValidator}.
 *
 * @param readTimeout what a request waits for a replica's answer before it is retried on another
 * @param maxFails nginx's passive check; 0 (the default) leaves dead and hung replicas to the health check,
 *                 so that a keepalive connection httpd closed never counts against a healthy replica
 * @param workerConnections connections per nginx worker; a proxied request holds two
 * @param keepalive idle upstream connections each worker keeps
 * @param accessLog one of {@link AccessLog#allIds()}, as written in the POM
 */
public record BalancerTuning(String connectTimeout, String readTimeout, int maxFails, String failTimeout, int workerConnections,
                             int keepalive, String accessLog) {

    public static final BalancerTuning DEFAULTS = new BalancerTuning("1s", "3s", 0, "10s", 4096, 64, AccessLog.BUFFERED.id());

    /** With the default access log, buffered. */
    public BalancerTuning(String connectTimeout, String readTimeout, int maxFails, String failTimeout, int workerConnections, int keepalive) {
        this(connectTimeout, readTimeout, maxFails, failTimeout, workerConnections, keepalive, AccessLog.BUFFERED.id());
    }
}
