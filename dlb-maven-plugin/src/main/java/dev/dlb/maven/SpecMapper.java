package dev.dlb.maven;

import dev.dlb.core.engine.EngineEndpoint;
import dev.dlb.core.spec.AccessLog;
import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.BalancerTuning;
import dev.dlb.core.spec.HealthCheck;
import dev.dlb.core.spec.ConfdSpec;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.SwarmSpec;
import dev.dlb.core.spec.WebSpec;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** POM beans and command-line overrides to the core's immutable specs; defaults live here. */
final class SpecMapper {

    static final String DEFAULT_HTTPD = "httpd:2.4.65";
    static final String DEFAULT_NGINX = "nginx:1.28.0";
    static final String DEFAULT_CONFD_VERSION = "0.30.0";
    /** Enough threads that the balancer's concurrency rarely makes every worker busy (see the README's sizing). */
    static final int DEFAULT_WORKERS = 256;
    /** The official Go image of the oldest Go that builds the default confd (its go.mod asks for 1.22). */
    static final String DEFAULT_CONFD_BUILDER = "golang:1.22-bookworm";

    private final String groupId;
    private final String artifactId;
    private final String version;
    private final AbstractDlbMojo mojo;

    SpecMapper(String groupId, String artifactId, String version, AbstractDlbMojo mojo) {
        this.groupId = groupId;
        this.artifactId = artifactId;
        this.version = version;
        this.mojo = mojo;
    }

    StackSpec stack() {
        return new StackSpec(groupId + ":" + artifactId, stackName(), mojo.outputDirectory.toPath(), web(), balancer(),
                Duration.ofSeconds(mojo.readyTimeout), mojo.keepVolumes, swarm());
    }

    private SwarmSpec swarm() {
        Swarm s = mojo.swarm == null ? new Swarm() : mojo.swarm;
        SwarmSpec d = SwarmSpec.DEFAULTS;
        return new SwarmSpec(s.placement == null ? d.placement() : trimmed(s.placement),
                s.balancerPlacement == null ? d.balancerPlacement() : trimmed(s.balancerPlacement),
                first(null, s.updateParallelism, d.updateParallelism()), first(null, s.updateDelay, d.updateDelay()),
                first(null, s.updateOrder, d.updateOrder()), first(null, s.volumeDriver, d.volumeDriver()));
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().map(v -> v == null ? "" : v.strip()).toList();
    }

    private WebSpec web() {
        Web w = mojo.web == null ? new Web() : mojo.web;
        Map<Integer, Map<String, String>> perReplica = new TreeMap<>();
        w.replicaEnvironments.forEach(r -> perReplica.computeIfAbsent(r.replica, k -> new TreeMap<>()).putAll(nonNull(r.environment)));
        return new WebSpec(
                first(mojo.replicasOverride, w.replicas, 3),
                first(null, w.baseImage, DEFAULT_HTTPD),
                first(null, w.image, defaultImage("web")),
                Optional.ofNullable(w.contentDirectory).map(File::toPath),
                Optional.ofNullable(w.confdDirectory).map(File::toPath),
                new TreeMap<>(nonNull(w.environment)),
                new TreeMap<>(perReplica.entrySet().stream().collect(
                        java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> new TreeMap<>(e.getValue())))),
                new Limits(first(null, w.memory, "256m"), first(null, w.pids, 512L)),
                first(null, w.workers, DEFAULT_WORKERS),
                first(mojo.webAccessLogOverride, w.accessLog, AccessLog.BUFFERED.id()));
    }

    /** Where the balancer is published and reached depends on the engine: see {@link EngineEndpoint#reach}. */
    private BalancerSpec balancer() {
        Balancer b = mojo.balancer == null ? new Balancer() : mojo.balancer;
        EngineEndpoint engine = mojo.engineEndpoint();
        String bindAddress = first(mojo.bindAddressOverride, b.bindAddress, engine.defaultBindAddress());
        return new BalancerSpec(
                first(null, b.baseImage, DEFAULT_NGINX),
                first(null, b.image, defaultImage("balancer")),
                bindAddress,
                first(mojo.portOverride, b.port, 0),
                first(mojo.strategyOverride, b.strategy, "round-robin"),
                new Limits(first(null, b.memory, "128m"), first(null, b.pids, 128L)),
                first(null, b.retry, true),
                tuning(b),
                healthCheck(b.healthCheck == null ? new BalancerHealthCheck() : b.healthCheck),
                engine.reach(bindAddress, Optional.ofNullable(first(mojo.hostOverride, b.host, null))));
    }

    private BalancerTuning tuning(Balancer b) {
        BalancerTuning d = BalancerTuning.DEFAULTS;
        return new BalancerTuning(first(null, b.connectTimeout, d.connectTimeout()), first(null, b.readTimeout, d.readTimeout()),
                first(null, b.maxFails, d.maxFails()), first(null, b.failTimeout, d.failTimeout()),
                first(null, b.workerConnections, d.workerConnections()), first(null, b.keepalive, d.keepalive()),
                first(mojo.balancerAccessLogOverride, b.accessLog, d.accessLog()));
    }

    private static HealthCheck healthCheck(BalancerHealthCheck h) {
        HealthCheck d = HealthCheck.DEFAULTS;
        return new HealthCheck(first(null, h.enabled, d.enabled()), first(null, h.interval, d.interval()),
                first(null, h.timeout, d.timeout()), first(null, h.failures, d.failures()));
    }

    ConfdSpec confd() {
        Confd c = mojo.confd == null ? new Confd() : mojo.confd;
        File binary = first(mojo.confdBinaryOverride, c.binary, null);
        String confdVersion = first(null, c.version, DEFAULT_CONFD_VERSION).strip();
        return new ConfdSpec(Optional.ofNullable(binary).map(File::toPath), confdVersion.startsWith("v") ? confdVersion.substring(1) : confdVersion,
                first(mojo.confdBuilderImageOverride, c.builderImage, DEFAULT_CONFD_BUILDER));
    }

    private String defaultImage(String role) {
        return "dlb/" + artifactId.toLowerCase(Locale.ROOT) + "-" + role + ":" + version;
    }

    /** DNS-safe and short: the prefix of every container, network and volume name. */
    private String stackName() {
        String name = artifactId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "stack" : name.substring(0, Math.min(name.length(), 30));
    }

    private static <T> T first(T override, T configured, T fallback) {
        return override != null ? override : configured != null ? configured : fallback;
    }

    private static Map<String, String> nonNull(Map<String, String> env) {
        Map<String, String> copy = new TreeMap<>();
        if (env != null) {
            env.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        }
        return copy;
    }
}
