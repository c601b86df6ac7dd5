package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerPlan.Hardening;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.Topology;

/**
 * What httpd and nginx need and no more: both start as root to bind port 80 and switch to an
 * unprivileged user (SETUID, SETGID, NET_BIND_SERVICE), signal their workers (KILL) and hand their
 * files to them (CHOWN). Root file systems are read-only; what confd renders and what the servers
 * write at run time goes to tmpfs mounts (Topology.WEB_TMPFS, BALANCER_TMPFS). A replica's document
 * root is one of them: the entrypoint copies the image's content in before confd renders.
 */
final class Hardenings {

    private Hardenings() {
    }

    static Hardening web(Limits limits) {
        return new Hardening(Topology.CAPABILITIES, limits.memoryBytes().orElseThrow(), limits.pids(), true, Topology.WEB_TMPFS,
                Topology.OPEN_FILES);
    }

    static Hardening balancer(Limits limits) {
        return new Hardening(Topology.CAPABILITIES, limits.memoryBytes().orElseThrow(), limits.pids(), true, Topology.BALANCER_TMPFS,
                Topology.OPEN_FILES);
    }
}
