package dev.dlb.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI as the system tests' independent witness: what the engine itself reports (inspect
 * JSON) and what a process inside a container sees (exec), never through the plugin's own adapter.
 * Every call is bounded in time.
 */
final class DockerCli {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerCli() {
    }

    record Result(int exitCode, String output) {

        Result requireSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ": " + output);
            }
            return this;
        }
    }

    /** Runs {@code docker ARGS...}, stdout and stderr together; kills it after {@code timeout}. */
    static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("dlb-docker-cli", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(DEFAULT_TIMEOUT, args);
    }

    /** {@code docker exec CONTAINER sh -c SCRIPT}. */
    static Result sh(String container, String script) throws IOException, InterruptedException {
        return run("exec", container, "sh", "-c", script);
    }

    /** The engine's own JSON for one container, network or volume ({@code docker KIND inspect NAME}). */
    static JsonNode inspect(String kind, String nameOrId) throws IOException, InterruptedException {
        String json = run(kind, "inspect", nameOrId).requireSuccess("docker " + kind + " inspect " + nameOrId).output();
        JsonNode array = JSON.readTree(json);
        if (!array.isArray() || array.size() != 1) {
            throw new AssertionError("docker " + kind + " inspect " + nameOrId + " returned " + json);
        }
        return array.get(0);
    }

    /** Whether a container, network or volume of that name or id exists. */
    static boolean exists(String kind, String nameOrId) throws IOException, InterruptedException {
        return run(kind, "inspect", nameOrId).exitCode() == 0;
    }
}
