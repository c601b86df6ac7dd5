package dev.dlb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The docker CLI's configuration directory ({@code $DOCKER_CONFIG}, else {@code ~/.docker}): the current context in
 * {@code config.json}, and each context's endpoint in {@code contexts/meta/SHA/meta.json} with its TLS files in
 * {@code contexts/tls/SHA/docker/}, SHA being the SHA-256 of the context's name.
 */
final class ContextStore {

    /** A context's docker endpoint; {@code tlsDirectory} is where its TLS files are, if it has any. */
    record Context(String name, String host, boolean skipTlsVerify, Path tlsDirectory, boolean hasTlsFiles, Path metaFile) {
    }

    private final Path directory;
    private final Function<Path, Path> onDisk;

    /** @param onDisk where a path of the machine is on the file system that is read (itself, but in tests) */
    ContextStore(Path directory, Function<Path, Path> onDisk) {
        this.directory = directory;
        this.onDisk = onDisk;
    }

    Path configFile() {
        return directory.resolve("config.json");
    }

    Optional<String> currentContext() {
        return read(configFile(), "the docker CLI's configuration").map(json -> json.path("currentContext").asText(""))
                .filter(name -> !name.isBlank());
    }

    /** @param where the setting that named the context, for messages: {@code DOCKER_CONTEXT (environment variable)} */
    Context context(String name, String where) {
        Path meta = directory.resolve("contexts").resolve("meta").resolve(sha256(name)).resolve("meta.json");
        JsonNode docker = read(meta, "docker context " + name).orElseThrow(() -> invalid(where, name,
                        "no such docker context: " + meta + " does not exist",
                        "name a context that docker context ls lists, create it (docker context create " + name
                                + " --docker host=...), or use the default context"))
                .path("Endpoints").path("docker");
        String host = docker.path("Host").asText("");
        if (host.isBlank()) {
            throw invalid(where, name, "the docker context has no docker endpoint (Endpoints.docker.Host in " + meta + ")",
                    "give it one: docker context update " + name + " --docker host=...");
        }
        Path tls = directory.resolve("contexts").resolve("tls").resolve(sha256(name)).resolve("docker");
        return new Context(name, host, docker.path("SkipTLSVerify").asBoolean(false), tls, Files.isDirectory(onDisk.apply(tls)), meta);
    }

    private Optional<JsonNode> read(Path file, String what) {
        Path real = onDisk.apply(file);
        if (!Files.isRegularFile(real)) {
            return Optional.empty();
        }
        try {
            // the JVM's one mapper: where there is no file, a cold JVM pays nothing for JSON here
            return Optional.of(JsonWarmup.mapper().readTree(Files.readString(real, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw invalid(file.toString(), "", what + " cannot be read: " + e.getMessage(), "correct or remove " + file);
        }
    }

    static InvalidSpecException invalid(String where, String value, String reason, String fix) {
        return new InvalidSpecException(List.of(new Problem(where, value, reason, fix)));
    }

    private static String sha256(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
