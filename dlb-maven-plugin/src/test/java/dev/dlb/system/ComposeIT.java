package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rendered docker-compose.yml, run by Debian's docker-compose with no Maven and no plugin code in
 * the loop: the stack answers round-robin, and the balancer's own health watcher takes a hung replica
 * out of the rotation and brings it back once resumed, as it does for a stack the plugin started.
 */
class ComposeIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theComposeStackFollowsAHungReplicaByItself() throws Exception {
        StackSpec spec = RealStack.spec("compose");
        String project = "dlb-compose-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        try (ContainerEngine engine = RealStack.engine()) {
            RealStack.buildImages(engine, spec);
        }
        String file = spec.outputDirectory().resolve(StackRenderer.COMPOSE_FILE).toString();
        try {
            compose(project, file, "up", "-d", "--no-build").requireSuccess();
            URI balancer = URI.create("http://" + compose(project, file, "port", "balancer", "80").requireSuccess().output().strip() + "/");
            awaitRotation(balancer, "web-2", "up", 60);
            assertEquals(List.of("web-1", "web-2", "web-3"), replicasInTurn(balancer));

            String web2 = compose(project, file, "ps", "-q", "web-2").requireSuccess().output().strip();
            DockerCli.run("pause", web2).requireSuccess("docker pause web-2");
            double out = awaitRotation(balancer, "web-2", "down", 20);
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(get(balancer));
            }
            DockerCli.run("unpause", web2).requireSuccess("docker unpause web-2");
            double back = awaitRotation(balancer, "web-2", "up", 20);

            System.out.printf("ComposeIT: web-2 out of the rotation %.1f s after it hung, back %.1f s after it resumed; answers meanwhile %s%n",
                    out, back, answers);
            assertTrue(answers.stream().allMatch(a -> a.equals("web-1") || a.equals("web-3")), "while web-2 hung: " + answers);
        } finally {
            compose(project, file, "down", "-v", "--timeout", "2");
        }
        assertEquals("", DockerCli.run("ps", "-aq", "--filter", "name=" + project).output().strip(), "containers of " + project + " left");
    }

    private static Commands.Result compose(String project, String file, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", project, "-f", file));
        command.addAll(List.of(args));
        return Commands.run(Duration.ofSeconds(120), command);
    }

    /** Seconds until the balancer's rotation lists the replica in that state. */
    private double awaitRotation(URI balancer, String replica, String state, int seconds) throws Exception {
        long begun = System.nanoTime();
        String rotation = "";
        while (System.nanoTime() - begun < TimeUnit.SECONDS.toNanos(seconds)) {
            try {
                rotation = http.send(HttpRequest.newBuilder(balancer.resolve(Topology.ROTATION_PATH)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                rotation = e.toString(); // the balancer is still starting
            }
            if (rotation.lines().anyMatch(l -> l.startsWith(replica + " ") && l.endsWith(" " + state))) {
                return (System.nanoTime() - begun) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(replica + " not " + state + " within " + seconds + " s; the rotation: " + rotation);
    }

    private List<String> replicasInTurn(URI balancer) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(get(balancer));
        }
        return seen.stream().sorted().toList();
    }

    private String get(URI balancer) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(balancer).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.headers().firstValue(Topology.REPLICA_HEADER).orElse("");
    }
}
