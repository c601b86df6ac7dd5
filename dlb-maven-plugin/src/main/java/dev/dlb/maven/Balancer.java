package dev.dlb.maven;

/**
 * The {@code <balancer>} block of the plugin configuration. Users read about its fields in the Javadoc of
 * {@link AbstractDlbMojo#balancer}, which help and the plugin's documentation show; PluginDescriptionsTest
 * fails when a field is missing there.
 */
public class Balancer {

    /** The nginx image the balancer image is built FROM. Must honour the official nginx image's contract. @since 0.1.0 */
    String baseImage;

    /** Tag of the balancer image built by build-images; default {@code dlb/ARTIFACTID-balancer:VERSION}. @since 0.1.0 */
    String image;

    /**
     * Address the balancer is published on, on the engine's machine: default {@code 127.0.0.1} for an engine on this
     * machine, {@code 0.0.0.0} for one reached over TCP (its loopback is not the build's). Command line:
     * {@code -Ddlb.balancer.bindAddress}. @since 0.1.0
     */
    String bindAddress;

    /**
     * Host name or address that {@code dlb.balancer.url} names, where the build reaches the published balancer.
     * Default: for an engine reached over TCP, its host from {@code DOCKER_HOST} (or the bind address, if a single
     * one is given); else the bind address ({@code 127.0.0.1} for {@code 0.0.0.0}). Command line:
     * {@code -Ddlb.balancer.host}. @since 0.2.0
     */
    String host;

    /** Host port; 0 picks a free one at start. Command line: {@code -Ddlb.balancer.port}. @since 0.1.0 */
    Integer port;

    /** round-robin, least-connections or ip-hash. Command line: {@code -Ddlb.balancer.strategy}. @since 0.1.0 */
    String strategy;

    /** Memory limit of the balancer: bytes, or a number with k, m or g. @since 0.1.0 */
    String memory;

    /** Most processes and threads the balancer may hold. @since 0.1.0 */
    Long pids;

    /** Retry a request that failed on one replica on another; turn off only to watch failures happen. @since 0.1.0 */
    Boolean retry;

    /** How long the balancer waits to connect to a replica before it tries another, e.g. {@code 1s} or {@code 500ms}. @since 0.2.0 */
    String connectTimeout;

    /**
     * How long a request waits for a replica's answer (between two reads) before it is retried on another
     * replica. The default {@code 3s} bounds what a hung replica costs; raise it for endpoints that are
     * legitimately slow, e.g. {@code 30s}. @since 0.2.0
     */
    String readTimeout;

    /**
     * nginx's passive check: failed attempts within {@code failTimeout} that take a replica out for
     * {@code failTimeout}. 0 (the default) turns it off: a keepalive connection that httpd closed would
     * count as a failure of a healthy replica; the health check takes dead and hung replicas out. @since 0.2.0
     */
    Integer maxFails;

    /** See {@code maxFails}, e.g. {@code 10s}. @since 0.2.0 */
    String failTimeout;

    /** Connections per nginx worker; a proxied request holds two. @since 0.2.0 */
    Integer workerConnections;

    /** Idle connections to the replicas each nginx worker keeps open for reuse. @since 0.2.0 */
    Integer keepalive;

    /** The balancer's active health check of every replica while the stack runs. @since 0.2.0 */
    BalancerHealthCheck healthCheck;

    /** How the balancer writes its access log to its output: buffered, on or off. @since 0.2.0 */
    String accessLog;
}
