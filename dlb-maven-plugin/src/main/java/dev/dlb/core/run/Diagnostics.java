package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerState;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** When a start fails: each container's state, health history and log tail, and where the rendered files are. */
final class Diagnostics {

    private static final int LOG_LINES = 40;

    private final ContainerEngine engine;
    private final Consumer<String> log;

    Diagnostics(ContainerEngine engine, Consumer<String> log) {
        this.engine = engine;
        this.log = log;
    }

    void print(List<Resource> created, Path renderedConfig) {
        List<Resource> containers = List.copyOf(created).stream().filter(r -> r.kind() == Resource.Kind.CONTAINER).toList();
        for (Resource c : containers) {
            try {
                ContainerState state = engine.inspectContainer(c.id());
                StringBuilder out = new StringBuilder("---- " + c.name() + ": " + state.describe());
                state.healthLog().forEach(h -> out.append("\n  health: ").append(h));
                out.append("\n  last ").append(LOG_LINES).append(" log lines:\n");
                engine.logs(c.id(), LOG_LINES).lines().forEach(l -> out.append("  | ").append(l).append('\n'));
                log.accept(out.toString());
            } catch (EngineException e) {
                log.accept("---- " + c.name() + ": cannot inspect: " + e.getMessage());
            }
        }
        log.accept("Rendered configuration: " + renderedConfig);
    }
}
