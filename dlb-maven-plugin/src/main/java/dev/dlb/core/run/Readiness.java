package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerState;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ready means proven: every replica seen answering through the balancer (asked for by name, and identified by
 * its response header), and in the rotation the balancer's configuration holds. Asked of the balancer itself, so
 * nothing waits for the engine's health checks, which Docker runs first only an interval after a start. Fails early
 * when a container that has not answered yet ends or its own check says unhealthy, and on timeout names who never
 * answered.
 */
final class Readiness {

    /**
     * Between rounds once the balancer answers, per request the round sent (one per replica not seen yet): what slows
     * replicas that are still starting is the rate of requests (rounds of 20 sent back to back every 20 ms did, on a
     * small machine), so a round of 20 waits 100 ms, and a round of up to 4 only {@link #POLL_REFUSED}.
     */
    static final Duration POLL_PER_REQUEST = Duration.ofMillis(5);

    /**
     * Between rounds while nothing answers: nginx listens 0.1–0.3 s after the balancer's start returned, and until then
     * each request is refused at once, at no cost to anyone.
     */
    static final Duration POLL_REFUSED = Duration.ofMillis(20);

    /**
     * The engine is asked in the first round, in the last, and in the first after each such pause: one inspect per
     * container not seen yet (0.2 s for 20 replicas) would otherwise set the pace of the rounds.
     */
    static final Duration ENGINE_PAUSE = Duration.ofMillis(250);

    private final ContainerEngine engine;
    private final HttpProbe probe;
    private final Pacer pacer;

    Readiness(ContainerEngine engine, HttpProbe probe, Pacer pacer) {
        this.engine = engine;
        this.probe = probe;
        this.pacer = pacer;
    }

    /** @param replicas replica name (web-1, ...) to container id */
    void await(Map<String, String> replicas, String balancerId, URI balancer, Duration timeout)
            throws StackException, EngineException, InterruptedException {
        long deadline = pacer.deadline(timeout);
        Set<String> seen = new TreeSet<>();
        Set<String> healthy = new TreeSet<>();
        long engineDue = pacer.deadline(Duration.ZERO);
        while (true) {
            int requests = replicas.size() - seen.size();
            boolean balancerAnswered = probeThroughBalancer(replicas.keySet(), seen, balancer);
            // asked only once every replica answered: before that the rotation says nothing new
            Set<String> inRotation = seen.containsAll(replicas.keySet()) ? inRotation(balancer) : replicas.keySet();
            if (seen.containsAll(replicas.keySet()) && inRotation.containsAll(replicas.keySet())) {
                return;
            }
            boolean timedOut = !pacer.before(deadline);
            // the engine is asked only about what has not answered: a stack ready at once costs it nothing
            if (!pacer.before(engineDue) || timedOut) {
                engineDue = pacer.deadline(ENGINE_PAUSE);
                if (!balancerAnswered) {
                    checkRunning(balancerId, Topology.BALANCER);
                }
                for (Map.Entry<String, String> r : replicas.entrySet()) {
                    // one seen is not asked again: the rotation says whether the balancer still has it
                    if (!seen.contains(r.getKey()) && checkRunning(r.getValue(), r.getKey()).healthy()) {
                        healthy.add(r.getKey());
                    }
                }
            }
            if (timedOut) {
                String missing = String.join("; ", Stream.of(
                        missing(replicas.keySet(), seen, "never seen through the balancer"),
                        missing(replicas.keySet(), inRotation, "not in the balancer's rotation"))
                        .filter(m -> !m.isEmpty()).toList());
                throw new StackException("Not every web replica became ready within " + timeout.toSeconds() + " s: " + missing
                        + unreachable(replicas.keySet(), healthy, seen) + ". Fix: read the diagnostics above, or raise <readyTimeout> "
                        + "(-Ddlb.readyTimeout)");
            }
            pacer.sleep(balancerAnswered ? pauseAfter(requests) : POLL_REFUSED);
        }
    }

    private static Duration pauseAfter(int requests) {
        Duration pause = POLL_PER_REQUEST.multipliedBy(requests);
        return pause.compareTo(POLL_REFUSED) < 0 ? POLL_REFUSED : pause;
    }

    private ContainerState checkRunning(String id, String name) throws StackException, EngineException {
        ContainerState state = engine.inspectContainer(id);
        if (state.ended() || "unhealthy".equals(state.health().orElse(""))) {
            throw new StackException(name + " (" + state.name() + ") is " + state.describe() + " before it was ready");
        }
        return state;
    }

    /**
     * Each replica not seen yet, asked for by name: whatever the strategy, and as fast as the balancer routes to it.
     * Returns whether the balancer answered at all, with any status.
     */
    private boolean probeThroughBalancer(Set<String> replicas, Set<String> seen, URI balancer) {
        List<String> unseen = new ArrayList<>(replicas);
        unseen.removeAll(seen);
        boolean answered = false;
        for (String replica : unseen) {
            Optional<HttpProbe.Answer> answer = probe.get(balancer.resolve("/dlb-replica/" + replica + Topology.HEALTH_PATH));
            answered |= answer.isPresent();
            answer.filter(a -> a.status() == 200).flatMap(HttpProbe.Answer::replica)
                    .filter(replica::equals).ifPresent(seen::add);
        }
        return answered;
    }

    /** The replicas the balancer's configuration has in rotation (lines of NAME ADDRESS STATE). */
    private Set<String> inRotation(URI balancer) {
        return probe.get(balancer.resolve(Topology.ROTATION_PATH)).filter(a -> a.status() == 200).stream()
                .flatMap(a -> a.body().lines()).map(l -> l.strip().split("\\s+"))
                .filter(f -> f.length == 3 && f[2].equals("up")).map(f -> f[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Replicas healthy by their own check that never answered through the balancer: something between them drops
     * their traffic. Podman's internal networks meet that on a host where Docker runs too (netavark 1.4 adds no
     * FORWARD rule for them, and Docker's FORWARD policy is DROP).
     */
    private static String unreachable(Set<String> all, Set<String> healthy, Set<String> seen) {
        if (!seen.isEmpty() || !healthy.containsAll(all)) {
            return "";
        }
        return ". Every replica is healthy, yet none answered through the balancer, so it cannot reach them: the engine's host "
                + "may drop the traffic of the replicas' internal network (Podman with Docker on the same host does, unless "
                + "iptables accepts what is switched within a Podman bridge; see the README's Podman section)";
    }

    private static String missing(Set<String> all, Set<String> done, String what) {
        Set<String> left = new TreeSet<>(all);
        left.removeAll(done);
        return left.isEmpty() ? "" : String.join(", ", left) + " " + what;
    }
}
