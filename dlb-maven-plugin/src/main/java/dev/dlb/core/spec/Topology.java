package dev.dlb.core.spec;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** What runs, shared by the compose file and the engine: names, mounts and each container's environment. */
public final class Topology {

    public static final int HTTP_PORT = 80;
    public static final String WEB_DATA_MOUNT = "/srv/dlb/shared";
    public static final String BALANCER_DATA_MOUNT = "/srv/dlb/balancer";
    public static final String BALANCER = "balancer";
    public static final String REPLICA_HEADER = "X-Dlb-Replica";
    public static final String HEALTH_PATH = "/dlb-health";
    /** The only capabilities the containers keep (see run.Hardenings for why). */
    public static final java.util.List<String> CAPABILITIES = java.util.List.of("CHOWN", "SETUID", "SETGID", "NET_BIND_SERVICE", "KILL");
    /** Root file systems are read-only; these are the writable tmpfs mounts and their sizes. */
    public static final java.util.SortedMap<String, String> BALANCER_TMPFS = java.util.Collections.unmodifiableSortedMap(
            new java.util.TreeMap<>(java.util.Map.of("/tmp", "16m", "/etc/nginx", "1m")));
    /** The document root is a tmpfs that the entrypoint fills from {@link #WEB_CONTENT} before confd renders into it. */
    public static final java.util.SortedMap<String, String> WEB_TMPFS = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(
            java.util.Map.of("/usr/local/apache2/htdocs", "128m", "/usr/local/apache2/logs", "1m", "/etc/dlb", "1m", "/tmp", "16m", "/run", "4m")));
    /** Where the image keeps the user's content. */
    public static final String WEB_CONTENT = "/usr/local/dlb/htdocs";

    /** Where confd may write in a web replica: the document root, the httpd include, the shared volume. */
    public static final java.util.List<String> WEB_WRITABLE_ROOTS = java.util.List.of("/usr/local/apache2/htdocs/", "/etc/dlb/", WEB_DATA_MOUNT + "/");

    private Topology() {
    }

    /** The replica's host name on the stack network, e.g. {@code web-2}. */
    public static String replicaName(int n) {
        return "web-" + n;
    }

    public static SortedMap<String, String> webEnvironment(WebSpec web, int n) {
        SortedMap<String, String> env = new TreeMap<>(web.environmentOf(n));
        env.put("DLB_REPLICA", Integer.toString(n));
        env.put("DLB_REPLICA_NAME", replicaName(n));
        return env;
    }

    public static SortedMap<String, String> balancerEnvironment(StackSpec spec) {
        SortedMap<String, String> env = new TreeMap<>();
        env.put("DLB_UPSTREAMS", IntStream.rangeClosed(1, spec.web().replicas())
                .mapToObj(Topology::replicaName).collect(Collectors.joining(",")));
        env.put("DLB_STRATEGY", spec.balancer().parsedStrategy().id());
        env.put("DLB_RETRY", spec.balancer().retry() ? "on" : "off");
        return env;
    }
}
