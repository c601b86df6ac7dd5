package dev.dlb.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A multi-node Docker Swarm on this machine: {@link InnerEngine}s on one user-defined network of the outer engine,
 * with its own subnet, the first of them the manager ({@code swarm init --advertise-addr} its address, overlay networks
 * from a pool apart from the outer engine's), the others joined as workers; plus a registry (Debian's docker-registry,
 * scripts/env/registry-image.sh) on the same network, which every node trusts over plain HTTP. The manager's API and
 * one port of it are published on 127.0.0.1 (see {@link InnerEngine}). {@link #close()} removes the nodes, their
 * volumes, the registry and the network, whatever state they are in.
 */
final class SwarmCluster implements AutoCloseable {

    /** Overlay networks inside the swarm: apart from the outer engine's and from each node's local pool. */
    private static final String OVERLAY_POOL = "10.233.0.0/16";
    private static final Duration REGISTRY_START = Duration.ofSeconds(30);
    private static final int SUBNET_ATTEMPTS = 8;

    private final String prefix;
    private final String network;
    private final String registryContainer;
    private final List<InnerEngine> nodes = new ArrayList<>();
    private String subnetBase;

    private SwarmCluster(String prefix) {
        this.prefix = prefix;
        this.network = prefix + "-net";
        this.registryContainer = prefix + "-registry";
    }

    /** User and password the registry asks for (htpasswd, bcrypt), or none. */
    record Credentials(String user, String password) {
    }

    /** Forms a swarm of {@code size} nodes named PREFIX-RANDOM-nodeN, and its registry; anything made is removed if forming fails. */
    static SwarmCluster form(String prefix, int size, String dindImage, String registryImage) throws IOException, InterruptedException {
        return form(prefix, size, dindImage, registryImage, Optional.empty());
    }

    /** A swarm with its password registry, the stand-in base images loaded on its manager; removed again if that fails. */
    static SwarmCluster withStandins(String prefix, int size, Credentials user) throws IOException, InterruptedException {
        SwarmCluster swarm = form(prefix, size, RealStack.property("dlb.standin.dind"), RealStack.property("dlb.standin.registry"),
                Optional.of(user));
        try {
            swarm.manager().load(RealStack.property("dlb.standin.httpd"), RealStack.property("dlb.standin.nginx"));
            return swarm;
        } catch (IOException | InterruptedException | RuntimeException e) {
            swarm.close();
            throw e;
        }
    }

    /** The usual Maven way to the registry's credentials: a settings.xml in DIR whose server id is the registry. */
    Path settings(Path dir, String user, String password) throws IOException {
        return Files.writeString(dir.resolve("settings.xml"), "<settings><servers><server><id>" + registry() + "</id><username>" + user
                + "</username><password>" + password + "</password></server></servers></settings>\n");
    }

    /** Ends the goals still running, then removes the swarm (if it was formed). */
    static void closeAfter(List<ChildJvm> goals, SwarmCluster swarm) throws IOException, InterruptedException {
        for (ChildJvm goal : goals) {
            goal.kill();
        }
        if (swarm != null) {
            swarm.close();
        }
    }

    static SwarmCluster form(String prefix, int size, String dindImage, String registryImage, Optional<Credentials> credentials)
            throws IOException, InterruptedException {
        SwarmCluster cluster = new SwarmCluster(prefix + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3)));
        try {
            cluster.createNetwork();
            cluster.startRegistry(registryImage, credentials);
            for (int i = 1; i <= size; i++) {
                cluster.nodes.add(InnerEngine.launchOnNetwork(cluster.prefix + "-node" + i, dindImage, cluster.network,
                        cluster.address(10 + i), List.of("--insecure-registry", cluster.registry())));
            }
            for (InnerEngine node : cluster.nodes) {
                node.awaitAnswering();
            }
            cluster.join();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    InnerEngine manager() {
        return nodes.get(0);
    }

    List<InnerEngine> nodes() {
        return List.copyOf(nodes);
    }

    List<InnerEngine> workers() {
        return List.copyOf(nodes.subList(1, nodes.size()));
    }

    /** HOST:PORT of the registry, as the nodes reach it. */
    String registry() {
        return address(2) + ":5000";
    }

    /** The swarm's node names (their hostnames), as {@code docker node ls} shows them. */
    List<String> nodeNames() {
        return nodes.stream().map(n -> n.container).toList();
    }

    /** Kills a node's container: its engine and every task on it stop at once, as when a machine is lost. */
    void kill(InnerEngine node) throws IOException, InterruptedException {
        DockerCli.run("kill", node.container).requireSuccess("docker kill " + node.container);
    }

    private String address(int host) {
        return subnetBase + host;
    }

    /** A /24 of 10.240.0.0/12 not yet used by the outer engine; a few random tries. */
    private void createNetwork() throws IOException, InterruptedException {
        SecureRandom random = new SecureRandom();
        DockerCli.Result last = null;
        for (int attempt = 0; attempt < SUBNET_ATTEMPTS; attempt++) {
            String base = "10." + (240 + random.nextInt(10)) + "." + random.nextInt(256) + ".";
            last = DockerCli.run("network", "create", "--subnet", base + "0/24", network);
            if (last.exitCode() == 0) {
                subnetBase = base;
                return;
            }
        }
        throw new AssertionError("no free subnet for network " + network + " in " + SUBNET_ATTEMPTS + " tries: " + last.output());
    }

    /** With credentials, the registry answers 401 to anyone without them (distribution's htpasswd access controller). */
    private void startRegistry(String image, Optional<Credentials> credentials) throws IOException, InterruptedException {
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", registryContainer, "--network", network, "--ip", address(2)));
        String serve = "exec docker-registry serve /etc/docker/registry/config.yml";
        if (credentials.isPresent()) {
            run.addAll(List.of("-e", "REGISTRY_AUTH=htpasswd", "-e", "REGISTRY_AUTH_HTPASSWD_REALM=dlb", "-e",
                    "REGISTRY_AUTH_HTPASSWD_PATH=/var/lib/docker-registry/htpasswd", "-e", "DLB_USER=" + credentials.get().user(),
                    "-e", "DLB_PASSWORD=" + credentials.get().password()));
            serve = "htpasswd -Bbn \"$DLB_USER\" \"$DLB_PASSWORD\" > /var/lib/docker-registry/htpasswd && " + serve;
        }
        run.addAll(List.of(image, "sh", "-c", serve));
        DockerCli.run(run.toArray(String[]::new)).requireSuccess("docker run " + image);
        for (int attempt = 0; attempt < REGISTRY_START.toSeconds() * 2; attempt++) {
            // 200 without credentials, 401 with: either way it answers
            if (DockerCli.sh(registryContainer, "curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:5000/v2/ | grep -qE '200|401'")
                    .exitCode() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the registry in " + registryContainer + " did not listen on :5000 within " + REGISTRY_START.toSeconds()
                + " s; its log: " + DockerCli.run("logs", "--tail", "30", registryContainer).output());
    }

    private void join() throws IOException, InterruptedException {
        InnerEngine manager = manager();
        manager.docker("swarm", "init", "--advertise-addr", address(11), "--default-addr-pool", OVERLAY_POOL)
                .requireSuccess("docker swarm init on " + manager.container);
        String token = manager.docker("swarm", "join-token", "-q", "worker").requireSuccess("docker swarm join-token").output().strip();
        for (InnerEngine worker : workers()) {
            worker.docker("swarm", "join", "--token", token, address(11) + ":2377").requireSuccess("docker swarm join on " + worker.container);
        }
    }

    /** Removes the nodes (and their volumes), the registry and the network; each step runs whatever the others did. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (InnerEngine node : nodes) {
            node.close();
        }
        DockerCli.run("rm", "-f", "-v", registryContainer);
        DockerCli.run("network", "rm", network);
    }
}
