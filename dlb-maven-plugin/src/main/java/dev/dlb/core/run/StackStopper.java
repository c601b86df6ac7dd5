package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ResourceInUseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Removes what a stack created, found by its labels: containers first (in parallel), then networks,
 * then volumes. Idempotent; finds everything from any process, not just the one that started it.
 */
public final class StackStopper {

    private final ContainerEngine engine;
    private final Consumer<String> log;

    public StackStopper(ContainerEngine engine, Consumer<String> log) {
        this.engine = engine;
        this.log = log;
    }

    /**
     * Removes one session's containers and networks; the project's volumes too unless {@code keepVolumes},
     * but not those that a container of another session still uses. The engine refuses those by itself,
     * which also settles two sessions that stop at the same moment: whichever tries last removes them.
     */
    public List<Resource> stopSession(String projectId, String session, boolean keepVolumes) throws EngineException {
        List<Resource> removed = new ArrayList<>(remove(engine.list(Labels.session(projectId, session))));
        if (!keepVolumes) {
            removed.addAll(remove(engine.list(Labels.project(projectId)).stream().filter(r -> r.kind() == Resource.Kind.VOLUME).toList()));
        }
        return removed;
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
        List<Resource> removed = new ArrayList<>(removeContainers(byKind.getOrDefault(Resource.Kind.CONTAINER, List.of()), unanswered));
        for (Resource.Kind kind : List.of(Resource.Kind.NETWORK, Resource.Kind.VOLUME)) {
            for (Resource r : byKind.getOrDefault(kind, List.of()).stream().sorted(Comparator.comparing(Resource::name)).toList()) {
                if (tryRemove(r, unanswered)) {
                    removed.add(r);
                }
            }
        }
        if (!unanswered.isEmpty()) {
            throw EngineException.unanswered(unanswered.size() + " of the resources were not removed: " + unanswered.get(0).getMessage(),
                    unanswered.get(0));
        }
        return removed;
    }

    private List<Resource> removeContainers(List<Resource> containers, List<EngineException> unanswered) throws EngineException {
        if (containers.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(containers.size(), 8), daemon());
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Resource c : containers) {
                results.add(pool.submit(() -> tryRemove(c, unanswered)));
            }
            List<Resource> removed = new ArrayList<>();
            for (int i = 0; i < containers.size(); i++) {
                if (Boolean.TRUE.equals(get(results.get(i)))) {
                    removed.add(containers.get(i));
                }
            }
            return removed;
        } finally {
            pool.shutdownNow();
        }
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
            log.accept("Could not remove " + r + ": " + e.getMessage());
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
