package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerPlan.Hardening;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.Topology;
import java.util.List;

/**
 * What httpd and nginx need and no more: both start as root to bind port 80 and switch to an
 * unprivileged user (SETUID, SETGID, NET_BIND_SERVICE), signal their workers (KILL) and hand their
 * files to them (CHOWN). The balancer's root file system is read-only: confd writes nginx.conf into
 * a tmpfs at /etc/nginx and nginx keeps its pid and temp files in /tmp. The replicas stay writable,
 * since user templates render into the document root.
 */
final class Hardenings {

    private Hardenings() {
    }

    static Hardening web(Limits limits) {
        return new Hardening(Topology.CAPABILITIES, limits.memoryBytes().orElseThrow(), limits.pids(), false, List.of());
    }

    static Hardening balancer(Limits limits) {
        return new Hardening(Topology.CAPABILITIES, limits.memoryBytes().orElseThrow(), limits.pids(), true, Topology.BALANCER_TMPFS);
    }
}
