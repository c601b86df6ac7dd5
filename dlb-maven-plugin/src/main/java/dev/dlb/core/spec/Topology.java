package dev.dlb.core.spec;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
    /** The balancer lists here what its configuration holds: one line per replica, {@code NAME ADDRESS up|down|gone}. */
    /** How many replicas the balancer tries for one request (proxy_next_upstream_tries). */
    public static final int RETRY_TRIES = 3;
    public static final String ROTATION_PATH = "/dlb-balancer-rotation";
    /** The only capabilities the containers keep (see run.Hardenings for why). */
    public static final List<String> CAPABILITIES = List.of("CHOWN", "SETUID", "SETGID", "NET_BIND_SERVICE", "KILL");
    /**
     * Open files per container, soft and hard: nginx's default 4096 connections per worker (two per proxied
     * request) and httpd's worker threads with their keepalive connections fit with room to spare.
     */
    public static final long OPEN_FILES = 16384;
    /** Root file systems are read-only; these are the writable tmpfs mounts and their sizes. */
    public static final SortedMap<String, String> BALANCER_TMPFS = Collections.unmodifiableSortedMap(
            new TreeMap<>(Map.of("/tmp", "16m", "/etc/nginx", "1m")));
    /** The document root is a tmpfs that the entrypoint fills from {@link #WEB_CONTENT} before confd renders into it. */
    public static final SortedMap<String, String> WEB_TMPFS = Collections.unmodifiableSortedMap(new TreeMap<>(
            Map.of("/usr/local/apache2/htdocs", "128m", "/usr/local/apache2/logs", "1m", "/etc/dlb", "1m", "/tmp", "16m", "/run", "4m")));
    /** Where the image keeps the user's content. */
    public static final String WEB_CONTENT = "/usr/local/dlb/htdocs";

    /** Where confd may write in a web replica: the document root, the httpd include, the shared volume. */
    public static final List<String> WEB_WRITABLE_ROOTS = List.of("/usr/local/apache2/htdocs/", "/etc/dlb/", WEB_DATA_MOUNT + "/");

    private Topology() {
    }

    /** The replica's host name on the stack network, e.g. {@code web-2}. */
    public static String replicaName(int n) {
        return "web-" + n;
    }

    public static SortedMap<String, String> webEnvironment(WebSpec web, int n) {
        return webEnvironment(web, web.environmentOf(n), Integer.toString(n), replicaName(n));
    }

    /** A replica's environment from the user's values, its number and its name (on a swarm, templates of the task's slot). */
    public static SortedMap<String, String> webEnvironment(WebSpec web, Map<String, String> values, String replica, String name) {
        SortedMap<String, String> env = new TreeMap<>(values);
        env.put("DLB_REPLICA", replica);
        env.put("DLB_REPLICA_NAME", name);
        env.put("DLB_HTTPD_WORKERS", Integer.toString(web.workers()));
        env.put("DLB_ACCESS_LOG", web.accessLog());
        return env;
    }

    /**
     * What the front waits for the back: longer than the back's every attempt (connect and read on each
     * of {@link #RETRY_TRIES} replicas), so that the back's own answer, a retry's or its 504, always wins.
     */
    static Duration frontTimeout(BalancerTuning tuning) {
        Duration attempt = Durations.parse(tuning.connectTimeout()).orElseThrow().plus(Durations.parse(tuning.readTimeout()).orElseThrow());
        return attempt.multipliedBy(RETRY_TRIES).plusSeconds(5);
    }

    public static SortedMap<String, String> balancerEnvironment(StackSpec spec) {
        BalancerSpec balancer = spec.balancer();
        SortedMap<String, String> env = new TreeMap<>();
        env.put("DLB_UPSTREAMS", IntStream.rangeClosed(1, spec.web().replicas())
                .mapToObj(Topology::replicaName).collect(Collectors.joining(",")));
        env.put("DLB_STRATEGY", balancer.parsedStrategy().id());
        env.put("DLB_RETRY", balancer.retry() ? "on" : "off");
        env.put("DLB_RETRY_TRIES", Integer.toString(RETRY_TRIES));
        BalancerTuning tuning = balancer.tuning();
        env.put("DLB_CONNECT_TIMEOUT", tuning.connectTimeout());
        env.put("DLB_READ_TIMEOUT", tuning.readTimeout());
        env.put("DLB_FRONT_TIMEOUT", frontTimeout(tuning).toMillis() + "ms");
        env.put("DLB_MAX_FAILS", Integer.toString(tuning.maxFails()));
        env.put("DLB_FAIL_TIMEOUT", tuning.failTimeout());
        env.put("DLB_WORKER_CONNECTIONS", Integer.toString(tuning.workerConnections()));
        env.put("DLB_UPSTREAM_KEEPALIVE", Integer.toString(tuning.keepalive()));
        env.put("DLB_ACCESS_LOG", tuning.accessLog());
        HealthCheck health = balancer.healthCheck();
        env.put("DLB_HEALTH_CHECK", health.enabled() ? "on" : "off");
        env.put("DLB_HEALTH_INTERVAL", Durations.seconds(health.interval()));
        env.put("DLB_HEALTH_TIMEOUT", Durations.seconds(health.timeout()));
        env.put("DLB_HEALTH_FAILURES", Integer.toString(health.failures()));
        return env;
    }
}
