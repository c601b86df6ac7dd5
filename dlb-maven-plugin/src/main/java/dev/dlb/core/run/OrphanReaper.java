package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Before a start: removes sessions of the same project whose owner process is gone (a killed build)
 * or that a debug run kept on purpose. Sessions of live owners are left alone.
 */
final class OrphanReaper {

    private final ContainerEngine engine;
    private final StackStopper stopper;
    private final Consumer<String> log;

    OrphanReaper(ContainerEngine engine, StackStopper stopper, Consumer<String> log) {
        this.engine = engine;
        this.stopper = stopper;
        this.log = log;
    }

    void reap(String projectId) throws EngineException {
        Map<String, List<Resource>> sessions = engine.list(Labels.project(projectId)).stream()
                .filter(r -> r.labels().containsKey(Labels.SESSION))
                .collect(Collectors.groupingBy(r -> r.labels().get(Labels.SESSION)));
        for (Map.Entry<String, List<Resource>> session : sessions.entrySet()) {
            Optional<String> why = reasonToReap(session.getValue());
            if (why.isPresent()) {
                log.accept("Removing session " + session.getKey() + " of " + projectId + " left behind (" + why.get() + ")");
                stopper.remove(session.getValue());
            }
        }
    }

    private static Optional<String> reasonToReap(List<Resource> resources) {
        if (resources.stream().anyMatch(r -> "true".equals(r.labels().get(Labels.KEEP)))) {
            return Optional.of("kept running by an earlier debug run");
        }
        return resources.stream().map(r -> r.labels().get(Labels.OWNER)).flatMap(l -> Owner.parse(l).stream())
                .filter(Owner::isGone).findFirst().map(o -> "its Maven process " + o.pid() + " is gone");
    }
}
