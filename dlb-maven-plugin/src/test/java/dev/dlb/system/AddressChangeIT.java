package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A replica comes back at a new address: it leaves its network, another container takes an address
 * there, and it joins again under its name. The balancer follows it without being restarted, and a
 * light load of GETs meanwhile sees no failure.
 */
class AddressChangeIT {

    private static final String MOVED = Topology.replicaName(2);

    @Test
    void aReplicaAtANewAddressGetsTrafficAgainWithoutARestartOfTheBalancer() throws Exception {
        StackSpec spec = RealStack.spec("address-change");
        String filler = "dlb-address-change-filler-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        try (ContainerEngine engine = RealStack.engine()) {
            try {
                RunningStack stack = RealStack.start(engine, spec, HexFormat.of().formatHex(new SecureRandom().generateSeed(4)));
                StackNames names = new StackNames(spec.name(), stack.session());
                String balancerBefore = startedAndRestarts(names.container(Topology.BALANCER));
                URI balancer = URI.create(stack.balancerUrl());
                LoadRun load = new LoadRun();
                LoadRun.Report report = load.run(balancer, 1500, Duration.ofSeconds(15), Duration.ofSeconds(30),
                        () -> move(names, filler));
                String address = DockerCli.inspect("container", names.replica(2)).at("/NetworkSettings/Networks/" + names.webNetwork()
                        + "/IPAddress").asText();

                System.out.printf("AddressChangeIT: %s moved to %s; %d GETs, %d failed; %s%n", MOVED, address, report.results().size(),
                        report.count(r -> !r.ok()), report.latencies());
                assertEquals(0, report.count(r -> !r.ok()), "failed GETs: " + report.results().stream().filter(r -> !r.ok()).limit(5).toList());
                answersAgain(load, balancer);
                assertEquals(balancerBefore, startedAndRestarts(names.container(Topology.BALANCER)), "the balancer was restarted");
            } finally {
                DockerCli.run("rm", "-f", filler);
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    /** Out of its network; a container takes an address there; back in under its name, at another address. */
    private static void move(StackNames names, String filler) throws Exception {
        String replica = names.replica(2);
        String network = names.webNetwork();
        String before = DockerCli.inspect("container", replica).at("/NetworkSettings/Networks/" + network + "/IPAddress").asText();
        DockerCli.run("network", "disconnect", network, replica).requireSuccess("disconnect " + replica);
        DockerCli.run("run", "-d", "--name", filler, "--network", network, "--label", "dev.dlb.test=address-change",
                System.getProperty("dlb.standin.httpd"), "sleep", "300").requireSuccess("docker run " + filler);
        DockerCli.run("network", "connect", "--alias", MOVED, network, replica).requireSuccess("connect " + replica);
        String after = DockerCli.inspect("container", replica).at("/NetworkSettings/Networks/" + network + "/IPAddress").asText();
        assertNotEquals(before, after, MOVED + " kept its address; the test proves nothing");
    }

    private static void answersAgain(LoadRun load, URI balancer) throws Exception {
        long begun = System.nanoTime();
        boolean seen = false;
        for (int i = 0; i < 300 && !seen && System.nanoTime() - begun < TimeUnit.SECONDS.toNanos(20); i++) {
            LoadRun.Result answer = load.get(balancer);
            assertTrue(answer.ok(), "after the move: " + answer);
            seen = answer.replica().equals(MOVED);
            Thread.sleep(20);
        }
        assertTrue(seen, MOVED + " at its new address got none of the GETs through the balancer");
    }

    /** When the container last started and how often it restarted, as the engine reports it. */
    private static String startedAndRestarts(String container) throws Exception {
        JsonNode c = DockerCli.inspect("container", container);
        return c.at("/State/StartedAt").asText() + " restarts=" + c.at("/RestartCount").asText() + " pid=" + c.at("/State/Pid").asText();
    }
}
