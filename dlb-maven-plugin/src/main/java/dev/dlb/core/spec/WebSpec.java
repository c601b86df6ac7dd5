package dev.dlb.core.spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The web replicas: how many, from which base image, with which content and confd resources, and the
 * environment each replica gets at start.
 *
 * @param replicaEnvironment per replica number (1-based), values that override {@code environment}
 * @param workers httpd worker threads per replica; 0 keeps the base image's own MPM and keepalive settings
 * @param accessLog one of {@link AccessLog#allIds()}, as written in the POM; checked by {@link SpecValidator}
 */
public record WebSpec(
        int replicas,
        String baseImage,
        String image,
        Optional<Path> contentDirectory,
        Optional<Path> confdDirectory,
        SortedMap<String, String> environment,
        SortedMap<Integer, SortedMap<String, String>> replicaEnvironment,
        Limits limits,
        int workers,
        String accessLog) {

    /** With the default access log, buffered. */
    public WebSpec(int replicas, String baseImage, String image, Optional<Path> contentDirectory, Optional<Path> confdDirectory,
                   SortedMap<String, String> environment, SortedMap<Integer, SortedMap<String, String>> replicaEnvironment, Limits limits,
                   int workers) {
        this(replicas, baseImage, image, contentDirectory, confdDirectory, environment, replicaEnvironment, limits, workers,
                AccessLog.BUFFERED.id());
    }

    public WebSpec {
        environment = SortedMaps.copy(environment);
        replicaEnvironment = SortedMaps.copyNested(replicaEnvironment);
    }

    public WebSpec withWorkers(int newWorkers) {
        return new WebSpec(replicas, baseImage, image, contentDirectory, confdDirectory, environment, replicaEnvironment, limits, newWorkers, accessLog);
    }

    /** The environment replica {@code n} starts with: stack-wide values, then its own. */
    public SortedMap<String, String> environmentOf(int n) {
        SortedMap<String, String> merged = SortedMaps.copy(environment);
        merged.putAll(replicaEnvironment.getOrDefault(n, SortedMaps.copy(Map.of())));
        return merged;
    }
}
