package dev.dlb.core.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What differs between the engines that answer the Docker API, where the adapter must tell them apart: Docker itself,
 * and Podman's Docker-compatible API ({@code podman system service}), which follows it in most things but not these.
 *
 * @param libpodApi the version of Podman's own API, for the calls only it has; empty for Docker
 */
record EngineFlavour(boolean podman, String libpodApi) {

    static final EngineFlavour DOCKER = new EngineFlavour(false, "");
    /** The process limit (nproc, soft and hard) of containers on Podman: far above what a stack's users run, below hosts' hard limits. */
    static final long PODMAN_PROCESSES = 16384;
    /** Where Podman mounts a writable tmpfs of its own in a container whose root is read-only. */
    static final List<String> PODMAN_READ_ONLY_TMPFS = List.of("/run", "/tmp", "/var/tmp");
    /** The oldest libpod API that Podman 4 and later serve, for a Podman that does not say its own. */
    private static final String LIBPOD_MINIMUM = "4.0.0";

    static EngineFlavour podman(Optional<String> libpodApi) {
        return new EngineFlavour(true, libpodApi.filter(v -> !v.isBlank()).orElse(LIBPOD_MINIMUM));
    }

    /**
     * The rlimits to give a container, soft and hard alike. Docker leaves every limit a container is not given at the
     * engine's own. Podman sets each of nofile and nproc that is not given to 1048576, which fails the container where
     * the host forbids raising limits that far (these machines do); so on Podman nproc is given too.
     */
    Map<String, Long> limits(long openFiles) {
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("nofile", openFiles);
        if (podman) {
            limits.put("nproc", PODMAN_PROCESSES);
        }
        return limits;
    }

    /**
     * Every tmpfs mount with its options, from the writable ones and their sizes. Podman differs twice: it copies what
     * the image holds at a tmpfs's path into it (Docker mounts it empty) unless told {@code notmpcopyup}; and with a
     * read-only root its Docker API always adds writable tmpfs mounts of no set size at {@link #PODMAN_READ_ONLY_TMPFS}.
     * Those not named here get an empty read-only tmpfs instead, so that on Podman too nothing else is writable.
     */
    Map<String, String> tmpfs(Map<String, String> writable, boolean readOnlyRoot) {
        String copy = podman ? ",notmpcopyup" : "";
        Map<String, String> mounts = new TreeMap<>();
        writable.forEach((path, size) -> mounts.put(path, "rw,nosuid,nodev,size=" + size + copy));
        if (podman && readOnlyRoot) {
            PODMAN_READ_ONLY_TMPFS.forEach(path -> mounts.putIfAbsent(path, "ro,nosuid,nodev,noexec,size=4k" + copy));
        }
        return mounts;
    }

    /**
     * Whether a volume the engine creates for a container's mount carries the mount's labels. Podman ignores them, so a
     * volume it creates so (one that another session's stop removed meanwhile) would carry none, and no stop would find it.
     */
    boolean labelsVolumesOfMounts() {
        return !podman;
    }

    /**
     * Whether the engine runs health checks by itself. Podman runs them from systemd timers; where it has no systemd (a CI
     * container, these machines) it runs none, and a container's health stays "starting" for good.
     */
    boolean runsHealthChecks() {
        return !podman;
    }
}
