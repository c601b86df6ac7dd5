package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.render.OutputTree;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.run.ImageBuilder;
import dev.dlb.core.run.ImageBuilder.ImageRequest;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import dev.dlb.core.spec.WebSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The generated images on bases whose only shell is BusyBox, with no bash, no curl and no wget but
 * BusyBox's, as Alpine-based httpd and nginx images are (scripts/env/busybox-images.sh): the entrypoints
 * start both images, Docker's HEALTHCHECK finds every container healthy, and the balancer's watcher takes
 * a paused replica out of the rotation and brings it back, all with BusyBox's wget. On a base like the
 * official httpd image (bash, but no curl and no wget) the health check uses bash; on a base with none of
 * curl, wget and bash the replica fails at start, saying so.
 */
class BusyBoxBaseIT {

    private static final String TAG = System.getProperty("dlb.systemtest.tag", "latest");
    private static final String VICTIM = Topology.replicaName(2);
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theBusyBoxStandInsHaveNoBashNoCurlAndNoWgetButBusyBoxs() throws Exception {
        for (String base : List.of(RealStack.property("dlb.standin.httpd.busybox"), RealStack.property("dlb.standin.nginx.busybox"))) {
            String found = DockerCli.run("run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", base, "-c",
                    "for t in bash dash curl; do command -v $t; done; readlink -f /bin/sh; readlink -f /usr/bin/wget").requireSuccess(base).output();
            assertEquals("/usr/bin/busybox\n/usr/bin/busybox\n", found, base);
        }
    }

    @Test
    void entrypointsHealthChecksAndTheWatcherRunWithBusyBoxAlone() throws Exception {
        StackSpec spec = RealStack.onBusyBox("images-busybox", 2);
        String session = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        StackNames names = StackNames.of(spec, session);
        try (ContainerEngine engine = RealStack.engine()) {
            try {
                RunningStack stack = RealStack.start(engine, spec, session);
                for (String container : List.of(names.replica(1), names.replica(2), names.container(Topology.BALANCER))) {
                    awaitHealth(container, "healthy");
                    assertTrue(DockerCli.run("logs", container).output().contains("dlb: health checks use wget"), container);
                }
                outOfTheRotationAndBack(URI.create(stack.balancerUrl()), names.replica(2));
                assertTrue(DockerCli.run("logs", names.container(Topology.BALANCER)).output().contains("dlb-watch: " + VICTIM + " ("),
                        "the watcher logs its decisions");
            } finally {
                DockerCli.run("unpause", names.replica(2));
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    @Test
    void onABaseWithBashButNoCurlAndNoWgetLikeTheOfficialHttpdImageTheHealthCheckUsesBash() throws Exception {
        JsonNode health = replicaOn("no-curl", "rm /usr/bin/curl", container -> {
            awaitHealth(container, "healthy");
            assertTrue(DockerCli.run("logs", container).output().contains("dlb: health checks use bash"));
        });
        assertEquals("healthy", health.path("Status").asText());
    }

    @Test
    void onABaseWithNoCurlWgetOrBashTheReplicaFailsAtStartSayingWhyAndTheFix() throws Exception {
        replicaOn("no-http", "rm /usr/bin/curl /usr/bin/bash /usr/bin/rbash", container -> {
            JsonNode state = awaitExit(container);
            String log = DockerCli.run("logs", container).output();
            assertNotEquals(0, state.path("ExitCode").asInt(), log);
            assertTrue(log.contains("this image has no curl, and neither wget nor bash with timeout") && log.contains("Fix: build it FROM"), log);
        });
    }

    interface Check {
        void accept(String container) throws Exception;
    }

    /**
     * A base derived from the Debian httpd stand-in by {@code removal}, the web image built on it, and one
     * replica of it run alone as the stack runs it (read-only, its tmpfs mounts, no network); everything
     * is removed after {@code check}. Returns the replica's last health state.
     */
    private static JsonNode replicaOn(String variant, String removal, Check check) throws Exception {
        String base = "dlb-images-it/" + variant + ":" + TAG;
        StackSpec spec = RealStack.spec("images-" + variant, 1, "round-robin", true);
        WebSpec w = spec.web();
        spec = spec.withWeb(new WebSpec(1, base, "dlb/system-test-images-" + variant + "-web:" + TAG, w.contentDirectory(),
                w.confdDirectory(), w.environment(), w.replicaEnvironment(), w.limits(), w.workers()));
        String container = "dlb-images-it-" + variant + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        try (ContainerEngine engine = RealStack.engine()) {
            buildBase(base, removal);
            buildWebImage(engine, spec);
            run(container, spec);
            check.accept(container);
            return DockerCli.inspect("container", container).path("State").path("Health");
        } finally {
            DockerCli.run("rm", "-f", container);
            DockerCli.run("rmi", spec.web().image(), base);
        }
    }

    private static void buildBase(String tag, String removal) throws Exception {
        Path context = Files.createTempDirectory("dlb-images-it");
        try {
            Files.writeString(context.resolve("Dockerfile"), "FROM " + RealStack.property("dlb.standin.httpd") + "\nRUN " + removal + "\n");
            DockerCli.run(Duration.ofSeconds(120), "build", "-q", "-t", tag, context.toString()).requireSuccess("docker build " + tag);
        } finally {
            Files.deleteIfExists(context.resolve("Dockerfile"));
            Files.deleteIfExists(context);
        }
    }

    private static void buildWebImage(ContainerEngine engine, StackSpec spec) throws Exception {
        new OutputTree(spec.outputDirectory()).write(new StackRenderer().render(spec, RealStack.confdBinary()));
        new ImageBuilder(engine, false, line -> { }).build(spec.outputDirectory().resolve(StackRenderer.WEB),
                new ImageRequest(spec.web().image(), spec.web().baseImage(), "<web><baseImage>", spec.projectId()));
    }

    private static void run(String container, StackSpec spec) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container, "--network", "none", "--read-only",
                "--label", "dev.dlb.test=images"));
        Topology.WEB_TMPFS.forEach((path, size) -> args.addAll(List.of("--tmpfs", path + ":size=" + size)));
        Topology.webEnvironment(spec.web(), 1).forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.add(spec.web().image());
        DockerCli.run(args.toArray(String[]::new)).requireSuccess("docker run " + container);
    }

    /** Waits until Docker's health state of the container is {@code wanted}, within {@link #WITHIN}. */
    private static void awaitHealth(String container, String wanted) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        String status = "";
        while (!wanted.equals(status)) {
            assertTrue(System.nanoTime() < deadline, container + " is " + status + " after " + WITHIN.toSeconds() + " s: "
                    + DockerCli.inspect("container", container).path("State").path("Health"));
            Thread.sleep(250);
            status = DockerCli.inspect("container", container).path("State").path("Health").path("Status").asText();
        }
    }

    private static JsonNode awaitExit(String container) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        JsonNode state = DockerCli.inspect("container", container).path("State");
        while (state.path("Running").asBoolean()) {
            assertTrue(System.nanoTime() < deadline, container + " still runs after " + WITHIN.toSeconds() + " s");
            Thread.sleep(250);
            state = DockerCli.inspect("container", container).path("State");
        }
        return state;
    }

    /** Paused, the replica leaves the rotation while GETs keep being answered; resumed, it is back. */
    private void outOfTheRotationAndBack(URI balancer, String victim) throws Exception {
        String address = DockerCli.run("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", victim)
                .requireSuccess("docker inspect " + victim).output().strip();
        DockerCli.run("pause", victim).requireSuccess("docker pause " + victim);
        awaitRotation(balancer, VICTIM + " " + address + " down");
        for (int i = 0; i < 10; i++) {
            assertEquals(200, http.send(get(balancer), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        DockerCli.run("unpause", victim).requireSuccess("docker unpause " + victim);
        awaitRotation(balancer, VICTIM + " " + address + " up");
    }

    private void awaitRotation(URI balancer, String line) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        String rotation = "";
        while (!rotation.contains(line)) {
            assertTrue(System.nanoTime() < deadline, "no '" + line + "' within " + WITHIN.toSeconds() + " s: " + rotation);
            TimeUnit.MILLISECONDS.sleep(250);
            rotation = http.send(get(balancer.resolve(Topology.ROTATION_PATH)), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    }
}
