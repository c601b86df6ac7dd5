package dev.dlb.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine running in a container of the outer engine (the stand-in docker:dind image that
 * scripts/env/dind-image.sh builds), reached over {@code tcp://127.0.0.1:PORT}, as a CI job reaches a
 * {@code docker:dind} service. The container also publishes one more port on 127.0.0.1, the same inside and out,
 * so that what the inner engine publishes there is reached from this machine. Every call is bounded in time;
 * {@link #close()} removes the container and its volume.
 */
final class InnerEngine implements AutoCloseable {

    /** The inner engine's networks: apart from the outer engine's, or containers could not be attached. */
    private static final String ADDRESS_POOL = "base=10.231.0.0/16,size=24";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration LOAD = Duration.ofMinutes(4);
    private static final List<List<String>> LISTS = List.of(List.of("container", "ls", "-a", "--format", "{{.Names}}"),
            List.of("network", "ls", "--format", "{{.Name}}"), List.of("volume", "ls", "--format", "{{.Name}}"));

    final String container;
    private final String volume;
    private final int apiPort;
    /** Published by the outer container on 127.0.0.1 to the same port inside it, where the inner engine may publish. */
    final int publishedPort;

    private InnerEngine(String container, int apiPort, int publishedPort) {
        this.container = container;
        this.volume = container + "-lib";
        this.apiPort = apiPort;
        this.publishedPort = publishedPort;
    }

    /** Starts an engine in a container named PREFIX-RANDOM and waits until it answers. */
    static InnerEngine start(String prefix, String image) throws IOException, InterruptedException {
        InnerEngine engine = new InnerEngine(prefix + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3)), freePort(), freePort());
        engine.run(image, List.of(), List.of());
        return engine;
    }

    /**
     * Starts an engine in a container named {@code name}, attached to a user-defined network of the outer engine at
     * {@code address} (a swarm node), its dockerd given {@code daemonArgs} as well; returns at once: several start side
     * by side, then {@link #awaitAnswering()}.
     */
    static InnerEngine launchOnNetwork(String name, String image, String network, String address, List<String> daemonArgs)
            throws IOException, InterruptedException {
        InnerEngine engine = new InnerEngine(name, freePort(), freePort());
        engine.launch(image, List.of("--network", network, "--ip", address, "--hostname", name), daemonArgs);
        return engine;
    }

    String host() {
        return "tcp://127.0.0.1:" + apiPort;
    }

    /** {@code docker -H tcp://127.0.0.1:PORT ARGS...}. */
    DockerCli.Result docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-H", host()));
        command.addAll(List.of(args));
        return DockerCli.run(command.toArray(String[]::new));
    }

    /** {@code docker save IMAGES | docker -H ... load}: the outer engine's images, in the inner one. */
    void load(String... images) throws IOException, InterruptedException {
        List<String> save = new ArrayList<>(List.of("docker", "save"));
        save.addAll(List.of(images));
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(new ProcessBuilder(save).redirectError(ProcessBuilder.Redirect.INHERIT),
                new ProcessBuilder("docker", "-H", host(), "load").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)));
        Process load = pipeline.get(1);
        if (!load.waitFor(LOAD.toSeconds(), TimeUnit.SECONDS)) {
            pipeline.forEach(Process::destroyForcibly);
            throw new AssertionError("docker save | docker load did not finish within " + LOAD.toSeconds() + " s");
        }
        if (pipeline.get(0).waitFor() != 0 || load.exitValue() != 0) {
            throw new AssertionError("docker save " + String.join(" ", images) + " | docker -H " + host() + " load failed");
        }
    }

    /** Containers, networks and volumes of the project in the inner engine, by label and by the name prefix dlb-ARTIFACTID-. */
    List<String> leftovers(String projectId) throws IOException, InterruptedException {
        String prefix = "dlb-" + projectId.substring(projectId.indexOf(':') + 1) + "-";
        List<String> found = new ArrayList<>();
        for (List<String> list : LISTS) {
            names(list).stream().filter(n -> n.startsWith(prefix)).forEach(n -> found.add(list.get(0) + " " + n));
            List<String> labelled = new ArrayList<>(list);
            labelled.addAll(List.of("--filter", "label=dev.dlb.project=" + projectId));
            names(labelled).forEach(n -> found.add(list.get(0) + " " + n + " (labelled)"));
        }
        return found.stream().distinct().toList();
    }

    private List<String> names(List<String> list) throws IOException, InterruptedException {
        return docker(list.toArray(String[]::new)).requireSuccess("docker " + String.join(" ", list)).output().lines()
                .filter(n -> !n.isBlank()).toList();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        DockerCli.run("rm", "-f", "-v", container);
        DockerCli.run("volume", "rm", "-f", volume);
    }

    private void launch(String image, List<String> runArgs, List<String> daemonArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", container, "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE",
                "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined", "--security-opt", "systempaths=unconfined",
                "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "-v", volume + ":/var/lib/docker",
                "-p", "127.0.0.1:" + apiPort + ":2375", "-p", "127.0.0.1:" + publishedPort + ":" + publishedPort));
        command.addAll(runArgs);
        command.addAll(List.of(image, "dockerd", "-H", "unix:///var/run/docker.sock", "-H", "tcp://0.0.0.0:2375", "--default-address-pool",
                ADDRESS_POOL));
        command.addAll(daemonArgs);
        DockerCli.run(START, command.toArray(String[]::new)).requireSuccess("docker run " + image);
    }

    private void run(String image, List<String> runArgs, List<String> daemonArgs) throws IOException, InterruptedException {
        launch(image, runArgs, daemonArgs);
        awaitAnswering();
    }

    /** Until the engine answers its API, at most {@link #START}. */
    void awaitAnswering() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        for (int attempt = 0; attempt < START.toSeconds() * 2; attempt++) {
            if (docker("version", "--format", "{{.Server.Version}}").exitCode() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the engine in " + container + " did not answer at " + host() + " within " + START.toSeconds()
                + " s; its log: " + DockerCli.run("logs", "--tail", "30", container).output());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
