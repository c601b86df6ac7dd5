package dev.dlb.maven;

/**
 * The {@code <balancer><healthCheck>} block: a watcher inside the balancer asks every replica's health
 * page directly, takes a replica that keeps failing out of the rotation and brings it back when it
 * answers again, reloading nginx gracefully. It runs as long as the stack, however it was started.
 * Described for users in {@link AbstractDlbMojo#balancer}.
 */
public class BalancerHealthCheck {

    /** Turn the health check off (passive checks only, see {@code <maxFails>}). @since 0.2.0 */
    Boolean enabled;

    /** Time between two rounds of probes, e.g. {@code 1s}. @since 0.2.0 */
    String interval;

    /** How long one probe may take, e.g. {@code 2s}. @since 0.2.0 */
    String timeout;

    /** Failed probes in a row that take a replica out of the rotation. @since 0.2.0 */
    Integer failures;
}
