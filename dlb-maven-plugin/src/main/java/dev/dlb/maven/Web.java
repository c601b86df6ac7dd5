package dev.dlb.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code <web>} block of the plugin configuration. Users read about its fields in the Javadoc of
 * {@link AbstractDlbMojo#web}, which help and the plugin's documentation show; PluginDescriptionsTest
 * fails when a field is missing there.
 */
public class Web {

    /** How many httpd replicas run behind the balancer. Command line: {@code -Ddlb.web.replicas}. @since 0.1.0 */
    Integer replicas;

    /** The httpd image the web image is built FROM. Must honour the official httpd image's contract. @since 0.1.0 */
    String baseImage;

    /** Tag of the web image built by build-images; default {@code dlb/ARTIFACTID-web:VERSION}. @since 0.1.0 */
    String image;

    /** Static files copied into the document root of every replica. @since 0.1.0 */
    File contentDirectory;

    /** confd resources ({@code conf.d/*.toml}) and templates ({@code templates/*}) merged over the defaults. @since 0.1.0 */
    File confdDirectory;

    /** Environment of every replica, rendered by confd at container start. @since 0.1.0 */
    Map<String, String> environment = new LinkedHashMap<>();

    /** Memory limit of each replica: bytes, or a number with k, m or g. @since 0.1.0 */
    String memory;

    /** Most processes and threads each replica may hold. @since 0.1.0 */
    Long pids;

    /**
     * httpd worker threads per replica, all in one child process that is never recycled, with keepalive
     * limits above the balancer's; 0 keeps the base image's own MPM and keepalive settings. {@code <pids>}
     * must leave room for them. @since 0.2.0
     */
    Integer workers;

    /** How each replica writes its access log to its output: buffered, on or off. @since 0.2.0 */
    String accessLog;

    /** Environment of single replicas, over {@link #environment}. @since 0.1.0 */
    List<ReplicaEnvironment> replicaEnvironments = new ArrayList<>();
}
