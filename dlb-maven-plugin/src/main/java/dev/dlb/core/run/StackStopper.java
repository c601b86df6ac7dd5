package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ResourceInUseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Removes what a stack created, found by its labels: the containers, all at once, then the networks and
 * volumes, all at once. Idempotent; finds everything from any process, not just the one that started it.
 */
public final class StackStopper {

    private final ContainerEngine engine;
    private final Duration stopTimeout;
    private final Consumer<String> log;
    private final Consumer<String> warn;

    /** Containers are killed as they are removed: for a failed start, a watchdog, a reaped session. */
    public StackStopper(ContainerEngine engine, Consumer<String> log) {
        this(engine, Duration.ZERO, log);
    }

    /** @param stopTimeout how long each container may take to end by itself (SIGTERM) before it is killed; zero: at once */
    public StackStopper(ContainerEngine engine, Duration stopTimeout, Consumer<String> log) {
        this(engine, stopTimeout, log, log);
    }

    /** @param warn what could not be stopped or removed, and why: left behind, it is the user's to hear of */
    public StackStopper(ContainerEngine engine, Duration stopTimeout, Consumer<String> log, Consumer<String> warn) {
        this.engine = engine;
        this.stopTimeout = stopTimeout;
        this.log = log;
        this.warn = warn;
    }

    /**
     * Removes one session's containers and networks; the project's volumes too unless {@code keepVolumes},
     * but not those that a container of another session still uses. The engine refuses those by itself,
     * which also settles two sessions that stop at the same moment: whichever tries last removes them.
     */
    public List<Resource> stopSession(String projectId, String session, boolean keepVolumes) throws EngineException {
        Set<Map.Entry<String, String>> ofSession = Labels.session(projectId, session).entrySet();
        // one listing of the project holds both: the session's containers and networks, and the project's volumes
        return remove(engine.list(Labels.project(projectId)).stream()
                .filter(r -> r.labels().entrySet().containsAll(ofSession) || (!keepVolumes && r.kind() == Resource.Kind.VOLUME))
                .toList());
    }

    /** Removes every resource of the project, whatever its session. */
    public List<Resource> stopAll(String projectId, boolean keepVolumes) throws EngineException {
        List<Resource> found = engine.list(Labels.project(projectId)).stream()
                .filter(r -> !keepVolumes || r.kind() != Resource.Kind.VOLUME).toList();
        return remove(found);
    }

    /**
     * Removes the given resources in dependency order; returns what was removed. The same resource
     * listed twice (as created, and as found by label, with other labels) is removed once. A removal
     * the engine refuses is logged and the rest go on; one it left unanswered fails the whole, after
     * the rest were tried, so that a stop is not taken as done while the engine did not answer.
     */
    public List<Resource> remove(List<Resource> resources) throws EngineException {
        Map<Resource.Kind, List<Resource>> byKind = resources.stream()
                .collect(Collectors.toMap(r -> r.kind() + "/" + r.id(), r -> r, (first, again) -> first, LinkedHashMap::new))
                .values().stream().collect(Collectors.groupingBy(Resource::kind));
        List<EngineException> unanswered = Collections.synchronizedList(new ArrayList<>());
        List<Resource> removed = new ArrayList<>(removeAll(byKind.getOrDefault(Resource.Kind.CONTAINER, List.of()), unanswered));
        // a network or volume is held only by containers, all gone now: the engine has nothing to order among them
        List<Resource> rest = Stream.of(Resource.Kind.NETWORK, Resource.Kind.VOLUME)
                .flatMap(kind -> byKind.getOrDefault(kind, List.of()).stream().sorted(Comparator.comparing(Resource::name))).toList();
        removed.addAll(removeAll(rest, unanswered));
        if (!unanswered.isEmpty()) {
            throw EngineException.unanswered(unanswered.size() + " of the resources were not removed: " + unanswered.get(0).getMessage(),
                    unanswered.get(0));
        }
        return removed;
    }

    /** Removes them all at once; returns those removed, in the order given. */
    private List<Resource> removeAll(List<Resource> resources, List<EngineException> unanswered) throws EngineException {
        if (resources.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(resources.size(), ContainerEngine.PARALLEL_CALLS), daemon());
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Resource r : resources) {
                results.add(pool.submit(() -> stopAndRemove(r, unanswered)));
            }
            List<Resource> removed = new ArrayList<>();
            for (int i = 0; i < resources.size(); i++) {
                if (Boolean.TRUE.equals(get(results.get(i)))) {
                    removed.add(resources.get(i));
                }
            }
            return removed;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A container is first given its stop timeout to end by itself; one that does not is killed by the removal. */
    private boolean stopAndRemove(Resource r, List<EngineException> unanswered) {
        if (r.kind() == Resource.Kind.CONTAINER && !stopTimeout.isZero()) {
            try {
                engine.stopContainer(r.id(), stopTimeout);
            } catch (EngineException e) {
                warn.accept("Could not stop " + r + " (it is removed all the same): " + e.getMessage());
                if (e.unanswered()) {
                    unanswered.add(e);
                    return false;
                }
            }
        }
        return tryRemove(r, unanswered);
    }

    private boolean tryRemove(Resource r, List<EngineException> unanswered) {
        try {
            engine.remove(r);
            log.accept("Removed " + r);
            return true;
        } catch (ResourceInUseException e) {
            log.accept("Kept " + r + ": a container of another session still uses it");
            return false;
        } catch (EngineException e) {
            warn.accept("Could not remove " + r + ": " + e.getMessage());
            if (e.unanswered()) {
                unanswered.add(e);
            }
            return false;
        }
    }

    private static Boolean get(Future<Boolean> future) throws EngineException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while removing containers", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new EngineException("removing a container failed: " + e.getCause(), e.getCause());
        }
    }

    static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "dlb-engine");
            t.setDaemon(true);
            return t;
        };
    }
}
