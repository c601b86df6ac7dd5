package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A replica that hangs (its processes frozen by {@code docker pause}: connections are still accepted,
 * nothing answers) under a load of 4,000 GETs from 200 concurrent clients. With the default settings no
 * GET fails and none takes more than 5 s; the hung replica leaves the rotation, and once resumed it is
 * back within 10 s. With the timeouts the balancer had before (nginx's 60 s read timeout, no health
 * check), the same fault fails GETs or makes them wait longer, so this test can fail.
 */
class HungReplicaIT {

    private static final int CLIENTS = 200;
    private static final int TOTAL = 4000;
    private static final Duration SPREAD = Duration.ofSeconds(16);
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final Duration SLOWEST_ALLOWED = Duration.ofSeconds(5);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);
    private static final String VICTIM = Topology.replicaName(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aHungReplicaCostsNoGetAndComesBackOnceResumed() throws Exception {
        hang("hung", spec -> spec, true);
    }

    @Test
    void withTheTimeoutsOfBeforeTheSameHangFailsOrStallsGets() throws Exception {
        hang("hung-control", RealStack::asBeforeTheFix, false);
    }

    interface Variant {
        StackSpec apply(StackSpec spec);
    }

    private void hang(String name, Variant variant, boolean fixed) throws Exception {
        StackSpec spec = variant.apply(RealStack.spec(name));
        try (ContainerEngine engine = RealStack.engine()) {
            String victim = null;
            try {
                RunningStack stack = RealStack.start(engine, spec, HexFormat.of().formatHex(new SecureRandom().generateSeed(4)));
                victim = new StackNames(spec.name(), stack.session()).replica(2);
                String paused = victim;
                LoadRun.Report report = new LoadRun(CLIENTS, Duration.ofSeconds(15)).run(URI.create(stack.balancerUrl()), TOTAL, SPREAD,
                        DEADLINE, () -> DockerCli.run("pause", paused).requireSuccess("docker pause " + paused));
                judge(name, report, fixed);
                if (fixed) {
                    comesBack(URI.create(stack.balancerUrl()), victim);
                }
            } finally {
                if (victim != null) {
                    DockerCli.run("unpause", victim); // a paused container may not be removable everywhere
                }
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    private static void judge(String name, LoadRun.Report report, boolean fixed) {
        long failures = report.count(r -> !r.ok());
        List<LoadRun.Result> afterFault = report.sentAfter(report.faultEnd());
        double slowest = report.percentile(100);
        System.out.printf("HungReplicaIT %s: %d GETs from %d clients, %d failed, %d sent after %s hung (answered by it: %d); %s%n",
                name, report.results().size(), CLIENTS, failures, afterFault.size(), VICTIM,
                afterFault.stream().filter(r -> r.replica().equals(VICTIM)).count(), report.latencies());
        report.results().stream().filter(r -> !r.ok()).limit(5).forEach(r -> System.out.println("  failed: " + r));
        assertTrue(report.results().size() >= 3000, "only " + report.results().size() + " GETs within " + DEADLINE);
        assertTrue(afterFault.size() >= 1000, "only " + afterFault.size() + " GETs after the hang; the test proves nothing");
        if (!fixed) {
            assertTrue(failures > 0 || slowest > SLOWEST_ALLOWED.toSeconds(),
                    "the old timeouts must fail a GET or stall one beyond " + SLOWEST_ALLOWED.toSeconds() + " s, or this test cannot fail");
            return;
        }
        assertEquals(0, failures, "failed GETs, first: " + report.results().stream().filter(r -> !r.ok()).limit(5).toList());
        assertTrue(slowest <= SLOWEST_ALLOWED.toSeconds(), "the slowest GET took " + slowest + " s");
    }

    /** Resumed, the replica is in the balancer's rotation and answers a GET through it within the bound. */
    private void comesBack(URI balancer, String victim) throws Exception {
        String whileHung = rotation(balancer);
        assertTrue(whileHung.contains(VICTIM + " " + ipOf(victim) + " down"), VICTIM + " is not out of the rotation while it hangs: " + whileHung);
        DockerCli.run("unpause", victim).requireSuccess("docker unpause " + victim);
        long resumed = System.nanoTime();
        boolean inRotation = false;
        boolean answered = false;
        while (!(inRotation && answered) && System.nanoTime() - resumed < TimeUnit.SECONDS.toNanos(30)) {
            inRotation = inRotation || rotation(balancer).contains(VICTIM + " " + ipOf(victim) + " up");
            answered = answered || VICTIM.equals(replicaOf(balancer));
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - resumed) / 1e9;
        System.out.printf("HungReplicaIT: %s back in rotation and answering through the balancer %.1f s after it was resumed%n", VICTIM, seconds);
        assertTrue(inRotation && answered, VICTIM + " not back in rotation (" + inRotation + ") or not answering (" + answered + ")");
        assertTrue(seconds <= BACK_WITHIN.toSeconds(), VICTIM + " took " + seconds + " s to come back");
    }

    private String rotation(URI balancer) throws Exception {
        return http.send(HttpRequest.newBuilder(balancer.resolve(Topology.ROTATION_PATH)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String replicaOf(URI balancer) throws Exception {
        return http.send(HttpRequest.newBuilder(balancer).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                .headers().firstValue(Topology.REPLICA_HEADER).orElse("");
    }

    private static String ipOf(String container) throws Exception {
        return DockerCli.run("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container)
                .requireSuccess("docker inspect " + container).output().strip();
    }
}
