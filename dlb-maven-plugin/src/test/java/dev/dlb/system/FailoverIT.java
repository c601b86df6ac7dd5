package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackNames;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica dies under load (stopped, killed, removed) and no client sees it: every GET of a bounded,
 * concurrent load through the balancer (8 clients, and 200) is a complete 200, the balancer's access log shows requests
 * retried away from the dead replica, and once it is gone only the survivors answer. Without retries
 * the same fault shows failures, so these tests can fail. A killed replica comes back by its restart
 * policy and gets traffic again.
 */
class FailoverIT {

    private static final int TOTAL = 3000;
    private static final Duration SPREAD = Duration.ofSeconds(12);
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String VICTIM = Topology.replicaName(2);
    private static final Set<String> SURVIVORS = Set.of(Topology.replicaName(1), Topology.replicaName(3));
    private static final Pattern UPSTREAM = Pattern.compile(" upstream=(.*) upstream_status=(.*) rt=");

    @ParameterizedTest(name = "{0} clients")
    @ValueSource(ints = {8, 200})
    void stoppedReplica(int clients) throws Exception {
        failover("failover-stop", clients, true, victim -> docker("stop", "-t", "2", victim), true);
    }

    @ParameterizedTest(name = "{0} clients")
    @ValueSource(ints = {8, 200})
    void killedReplicaFailsOverAndComesBack(int clients) throws Exception {
        failover("failover-kill", clients, true, FailoverIT::crash, false);
    }

    @ParameterizedTest(name = "{0} clients")
    @ValueSource(ints = {8, 200})
    void removedReplica(int clients) throws Exception {
        failover("failover-remove", clients, true, victim -> docker("rm", "-f", victim), true);
    }

    @Test
    void withoutRetriesTheSameFaultFails() throws Exception {
        failover("failover-control", 8, false, victim -> docker("rm", "-f", victim), false);
    }

    interface Fault {
        void inject(String container) throws Exception;
    }

    private void failover(String name, int clients, boolean retry, Fault fault, boolean staysDown) throws Exception {
        StackSpec spec = RealStack.spec(name, 3, "round-robin", retry);
        try (ContainerEngine engine = RealStack.engine()) {
            try {
                RunningStack stack = RealStack.start(engine, spec, HexFormat.of().formatHex(new SecureRandom().generateSeed(4)));
                underLoad(name + "-" + clients, new LoadRun(clients, Duration.ofSeconds(5)), new StackNames(spec.name(), stack.session()),
                        URI.create(stack.balancerUrl()), retry, fault, staysDown);
            } finally {
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    private static void underLoad(String name, LoadRun load, StackNames names, URI balancer, boolean retry, Fault fault,
            boolean staysDown) throws Exception {
        String victim = names.replica(2);
        String victimAddress = address(victim);
        String oldPid = docker("inspect", "-f", "{{.State.Pid}}", victim).strip();

        LoadRun.Report report = load.run(balancer, TOTAL, SPREAD, DEADLINE, () -> fault.inject(victim));
        Thread.sleep(1500); // the balancer's access log is flushed every second
        List<String[]> upstreams = upstreams(docker("logs", names.container(Topology.BALANCER)));
        long retries = upstreams.stream().filter(u -> u[0].contains(", ")).count();
        long retriesFromVictim = upstreams.stream().filter(u -> u[0].startsWith(victimAddress + ", ")).count();
        List<LoadRun.Result> afterFault = report.sentAfter(report.faultEnd());
        long failures = report.count(r -> !r.ok());
        System.out.printf("FailoverIT %s: sent=%d failures=%d (non-200=%d, exceptions=%d, truncated=%d) retries=%d "
                        + "(from %s %s: %d) sent after the fault=%d, answered by %s=%d; duration=%.1f s, fault at %.1f s took %.2f s; %s%n",
                name, report.results().size(), failures, report.count(r -> r.error() == null && r.status() != 200),
                report.count(r -> r.error() != null), report.count(r -> r.status() == 200 && !r.complete()), retries,
                VICTIM, victimAddress, retriesFromVictim, afterFault.size(), VICTIM,
                afterFault.stream().filter(r -> r.replica().equals(VICTIM)).count(), report.seconds(report.end()),
                report.seconds(report.faultStart()), (report.faultEnd() - report.faultStart()) / 1e9, report.latencies());
        report.results().stream().filter(r -> !r.ok()).limit(5).forEach(r -> System.out.println("  failed: " + r));

        assertTrue(report.results().size() >= 2000, "only " + report.results().size() + " requests within " + DEADLINE);
        assertTrue(afterFault.size() >= 300, "only " + afterFault.size() + " requests sent after the fault; the test proves nothing");
        if (!retry) {
            assertTrue(failures > 0, "without retries a removed replica must fail some requests, or this test cannot fail");
            return;
        }
        assertEquals(0, failures, "failed requests, first: " + report.results().stream().filter(r -> !r.ok()).limit(5).toList());
        assertTrue(retriesFromVictim > 0, "no access-log line shows a request retried from " + victimAddress + " to another replica");
        if (staysDown) {
            assertEquals(List.of(), afterFault.stream().filter(r -> !SURVIVORS.contains(r.replica())).limit(5).toList(),
                    "answered after " + VICTIM + " was gone by someone else than " + SURVIVORS);
        } else {
            comesBack(load, balancer, victim, oldPid, victimAddress);
        }
    }

    /** A real crash: SIGKILL to the replica's main process from the host, which the restart policy answers. */
    private static void crash(String container) throws Exception {
        String pid = docker("inspect", "-f", "{{.State.Pid}}", container).strip();
        assertTrue(pid.matches("[1-9][0-9]*"), "no main process for " + container + ": " + pid);
        run(List.of("kill", "-9", pid));
    }

    /** The engine restarted the killed replica, and the balancer sends it traffic again. */
    private static void comesBack(LoadRun load, URI balancer, String victim, String oldPid, String oldAddress) throws Exception {
        long begun = System.nanoTime();
        String state = "";
        for (int i = 0; i < 120 && !state.matches("[1-9]\\d* running (?!" + oldPid + "$)\\d+"); i++) {
            state = docker("inspect", "-f", "{{.RestartCount}} {{.State.Status}} {{.State.Pid}}", victim).strip();
            Thread.sleep(250);
        }
        assertTrue(state.matches("[1-9]\\d* running (?!" + oldPid + "$)\\d+"), victim + " was not restarted: " + state);
        int sent = 0;
        boolean seen = false;
        for (; sent < 300 && !seen && System.nanoTime() - begun < TimeUnit.SECONDS.toNanos(30); sent++) {
            LoadRun.Result answer = load.get(balancer);
            assertTrue(answer.ok(), "after the restart: " + answer);
            seen = answer.replica().equals(VICTIM);
            Thread.sleep(20);
        }
        System.out.printf("FailoverIT: %s restarted (restarts, status, pid: %s; address before %s, now %s); seen through the balancer "
                + "again after %d requests, %.1f s%n", VICTIM, state, oldAddress, address(victim), sent, (System.nanoTime() - begun) / 1e9);
        assertTrue(seen, VICTIM + " restarted but the balancer did not send it any of " + sent + " requests");
    }

    /** The replica's address on its only network, as nginx logs it. */
    private static String address(String container) throws IOException, InterruptedException {
        return docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container).strip() + ":80";
    }

    /** The upstream and upstream status of every access-log line. */
    private static List<String[]> upstreams(String log) {
        return log.lines().map(UPSTREAM::matcher).filter(Matcher::find).map(m -> new String[] {m.group(1), m.group(2)}).toList();
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        return run(Stream.concat(Stream.of("docker"), Stream.of(args)).toList());
    }

    /** Runs a command for at most 60 s; returns its output (stdout and stderr), or fails with it. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        return Commands.run(Duration.ofSeconds(60), command).requireSuccess().output();
    }
}
