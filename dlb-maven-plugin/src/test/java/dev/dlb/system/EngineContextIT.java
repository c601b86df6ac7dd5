package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn verify} of a small project (render-config, build-images, start, an IT through {@code dlb.balancer.url}, stop) whose
 * only engine setting is {@code DOCKER_CONTEXT}, naming a context that the docker CLI itself created in a
 * {@code DOCKER_CONFIG} of the test's own. The context's endpoint is a link to the engine's socket that nothing
 * else names, so the address in the log proves that the context was followed: the default socket would reach
 * the same engine.
 */
class EngineContextIT {

    private static final String NAME = "engines-context";
    private static final String CONTEXT = "engines-ctx";
    private static final Duration BUILD = Duration.ofMinutes(8);

    private ChildJvm build;

    @AfterEach
    void nothingOfTheProjectLeft() throws Exception {
        if (build != null) {
            build.kill();
        }
        try (ContainerEngine engine = RealStack.engine()) {
            RealStack.removeAll(engine, RealStack.projectId(NAME));
        }
    }

    @Test
    void everyGoalAndTheWatchdogUseTheEngineThatDockerContextNames(@TempDir Path tmp) throws Exception {
        Path socket = Files.createSymbolicLink(tmp.resolve("engine.sock"), Path.of("/var/run/docker.sock"));
        Path config = tmp.resolve("docker-config");
        DockerCli.run("--config", config.toString(), "context", "create", CONTEXT, "--docker", "host=unix://" + socket)
                .requireSuccess("docker context create");
        Path project = ChildMaven.project(NAME);

        build = ChildMaven.start(NAME, project, Map.of("DOCKER_CONFIG", config.toString(), "DOCKER_CONTEXT", CONTEXT), List.of("verify"));

        assertEquals(0, build.awaitExit(BUILD), "mvn verify through the context passes");
        String engine = "dlb: Docker engine unix://" + socket + " (docker context " + CONTEXT + ", named by environment variable DOCKER_CONTEXT="
                + CONTEXT + ", from " + config.resolve("contexts").resolve("meta");
        assertEquals(4, build.lines.stream().filter(l -> l.contains(engine)).count(),
                "render-config, build-images, start and stop each name the context: " + engine);
        assertTrue(build.saw(l -> l.startsWith("REPLICAS-SEEN http://127.0.0.1:") && l.endsWith("[web-1, web-2, web-3]")),
                "the IT saw every replica through dlb.balancer.url");
        assertTrue(build.saw(l -> l.contains("dlb: removed 8 resources")), "stop removed the stack");
        assertTrue(watchdogLog(project).contains("engine found: unix://" + socket + " (docker context " + CONTEXT + ", named by environment variable"),
                "the watchdog followed the context too: " + watchdogLog(project));
        try (ContainerEngine real = RealStack.engine()) {
            assertEquals(List.of(), RealStack.leftovers(real, RealStack.projectId(NAME)));
        }
    }

    private static String watchdogLog(Path project) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve("target").resolve("dlb"))) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().matches("watchdog-.*\\.log")).toList();
            assertEquals(1, logs.size(), "one session, one watchdog log: " + logs);
            return Files.readString(logs.get(0));
        }
    }
}
