package dev.dlb.maven;

/** The {@code <balancer>} block of the plugin configuration. */
public class Balancer {

    /** The nginx image the balancer image is built FROM. Must honour the official nginx image's contract. @since 0.1.0 */
    String baseImage;

    /** Tag of the balancer image built by build-images; default {@code dlb/ARTIFACTID-balancer:VERSION}. @since 0.1.0 */
    String image;

    /** Host address the balancer is published on. Command line: {@code -Ddlb.balancer.bindAddress}. @since 0.1.0 */
    String bindAddress;

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
}
