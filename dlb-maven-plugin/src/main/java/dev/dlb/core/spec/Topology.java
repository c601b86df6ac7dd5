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
    /** The balancer's root file system is read-only; these are its writable tmpfs mounts. */
    public static final java.util.List<String> BALANCER_TMPFS = java.util.List.of("/tmp", "/etc/nginx");

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
