package dev.dlb.core.testing;

import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.BalancerTuning;
import dev.dlb.core.spec.HealthCheck;
import dev.dlb.core.spec.ConfdSpec;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.Reach;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.SwarmSpec;
import dev.dlb.core.spec.WebSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A valid spec by default; each test changes only what it is about. */
public final class SpecBuilder {

    public static final String PROJECT = "dev.dlb.test:shop";
    public static final String WEB_IMAGE = "dlb/shop-web:1.0.0-SNAPSHOT";
    public static final String BALANCER_IMAGE = "dlb/shop-balancer:1.0.0-SNAPSHOT";
    public static final String WEB_BASE = "httpd:2.4.65";
    public static final String BALANCER_BASE = "nginx:1.28.0";

    private int replicas = 3;
    private String webBase = WEB_BASE;
    private String webImage = WEB_IMAGE;
    private Path content;
    private Path confdDirectory;
    private final SortedMap<String, String> environment = new TreeMap<>();
    private final SortedMap<Integer, SortedMap<String, String>> replicaEnvironment = new TreeMap<>();
    private String balancerBase = BALANCER_BASE;
    private String balancerImage = BALANCER_IMAGE;
    private String bindAddress = "127.0.0.1";
    private int port;
    private String strategy = "round-robin";
    private Duration readyTimeout = Duration.ofSeconds(5);
    private Path output = Path.of("target", "dlb");
    private Path confdBinary;
    private String confdVersion = "0.30.0";
    private String confdBuilder = "golang:1.22-bookworm";
    private Limits webLimits = new Limits("256m", 512);
    private Limits balancerLimits = new Limits("128m", 128);
    private int workers = 256;
    private String webAccessLog = "buffered";
    private BalancerTuning tuning = BalancerTuning.DEFAULTS;
    private HealthCheck healthCheck = HealthCheck.DEFAULTS;
    private Reach reach;
    private SwarmSpec swarm = SwarmSpec.DEFAULTS;

    public static SpecBuilder spec() {
        return new SpecBuilder();
    }

    public SpecBuilder replicas(int n) { replicas = n; return this; }
    public SpecBuilder webBase(String image) { webBase = image; return this; }
    public SpecBuilder webImage(String image) { webImage = image; return this; }
    public SpecBuilder content(Path dir) { content = dir; return this; }
    public SpecBuilder confdDirectory(Path dir) { confdDirectory = dir; return this; }
    public SpecBuilder env(String name, String value) { environment.put(name, value); return this; }
    public SpecBuilder balancerBase(String image) { balancerBase = image; return this; }
    public SpecBuilder balancerImage(String image) { balancerImage = image; return this; }
    public SpecBuilder bindAddress(String address) { bindAddress = address; return this; }
    public SpecBuilder port(int p) { port = p; return this; }
    public SpecBuilder strategy(String s) { strategy = s; return this; }
    public SpecBuilder readyTimeout(Duration d) { readyTimeout = d; return this; }
    public SpecBuilder output(Path dir) { output = dir; return this; }
    public SpecBuilder confdBinary(Path file) { confdBinary = file; return this; }
    public SpecBuilder confdVersion(String version) { confdVersion = version; return this; }
    public SpecBuilder confdBuilder(String image) { confdBuilder = image; return this; }
    public SpecBuilder webLimits(String memory, long pids) { webLimits = new Limits(memory, pids); return this; }
    public SpecBuilder balancerLimits(String memory, long pids) { balancerLimits = new Limits(memory, pids); return this; }
    public SpecBuilder workers(int n) { workers = n; return this; }
    public SpecBuilder webAccessLog(String setting) { webAccessLog = setting; return this; }
    public SpecBuilder tuning(BalancerTuning t) { tuning = t; return this; }
    public SpecBuilder healthCheck(HealthCheck h) { healthCheck = h; return this; }
    public SpecBuilder swarm(SwarmSpec s) { swarm = s; return this; }
    /** Published by an engine elsewhere, or reached at another host; by default an engine on this machine, reached where it binds. */
    public SpecBuilder reach(String host, boolean engineLocal) { reach = new Reach(host, engineLocal); return this; }

    public SpecBuilder replicaEnv(int replica, String name, String value) {
        replicaEnvironment.computeIfAbsent(replica, k -> new TreeMap<>()).put(name, value);
        return this;
    }

    public StackSpec stack() {
        WebSpec web = new WebSpec(replicas, webBase, webImage, Optional.ofNullable(content), Optional.ofNullable(confdDirectory),
                environment, replicaEnvironment, webLimits, workers, webAccessLog);
        BalancerSpec balancer = new BalancerSpec(balancerBase, balancerImage, bindAddress, port, strategy, balancerLimits, true, tuning,
                healthCheck, reach == null ? Reach.local(bindAddress) : reach);
        return new StackSpec(PROJECT, "shop", output, web, balancer, readyTimeout, false, swarm);
    }

    public ConfdSpec confd() {
        return new ConfdSpec(Optional.ofNullable(confdBinary), confdVersion, confdBuilder);
    }

    /** Writes {@code name -> text} pairs under {@code dir}, creating directories; returns {@code dir}. */
    public static Path files(Path dir, Map<String, String> files) {
        files.forEach((name, text) -> {
            try {
                Path file = dir.resolve(name);
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return dir;
    }
}
