package dev.dlb.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        Commands.Result result = Commands.run(timeout, command);
        return new Result(result.exitCode(), result.output());
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
