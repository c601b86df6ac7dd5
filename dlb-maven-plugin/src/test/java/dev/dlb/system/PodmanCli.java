package dev.dlb.system;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The podman CLI as the Podman tests' independent witness: what Podman itself holds, never through the plugin's
 * adapter. Talks to Podman's own store directly (not through the API service). Every call is bounded in time.
 */
final class PodmanCli {

    /** Where scripts/env/podman.sh serves Podman's Docker-compatible API. */
    static final String SOCKET = "unix:///run/podman/podman.sock";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private PodmanCli() {
    }

    static Commands.Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return Commands.run(TIMEOUT, command);
    }

    /** Runs a command and returns its output; fails the test when it fails. */
    static String output(String... args) throws IOException, InterruptedException {
        return run(args).requireSuccess().output().strip();
    }

    /** Containers, networks and volumes that carry the label or whose name starts with the prefix, as {@code KIND NAME}. */
    static List<String> leftovers(String label, String namePrefix) throws IOException, InterruptedException {
        List<String> found = new ArrayList<>();
        for (List<String> list : List.of(List.of("container", "ls", "-a", "--format", "{{.Names}}"),
                List.of("network", "ls", "--format", "{{.Name}}"), List.of("volume", "ls", "--format", "{{.Name}}"))) {
            List<String> all = output(list.toArray(String[]::new)).lines().toList();
            List<String> labelled = output(with(list, "--filter", "label=" + label)).lines().toList();
            all.stream().filter(n -> n.startsWith(namePrefix) || labelled.contains(n)).map(n -> list.get(0) + " " + n).forEach(found::add);
        }
        return found;
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Makes Podman hold the image as the Docker engine holds it (same id): copied with docker save | podman load when not. */
    static void loadFromDocker(String image) throws IOException, InterruptedException {
        String docker = DockerCli.run("image", "inspect", "--format", "{{.Id}}", image).requireSuccess("docker image inspect " + image)
                .output().strip().replaceFirst("^sha256:", "");
        Commands.Result podman = run("image", "inspect", "--format", "{{.Id}}", image);
        if (podman.exitCode() != 0 || !podman.output().strip().equals(docker)) {
            Commands.run(Duration.ofSeconds(300), List.of("bash", "-o", "pipefail", "-c", "docker save \"$1\" | podman load", "load", image))
                    .requireSuccess();
        }
    }
}
