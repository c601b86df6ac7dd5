package dev.dlb.core.engine;

import java.util.List;
import java.util.Map;

/**
 * A container that runs one command to its end, such as a build: on the engine's default network, with
 * every capability dropped and no new privileges. It is not removed when it exits, so that its files can
 * be copied out; whoever creates it removes it.
 *
 * @param command the whole command line; it replaces the image's entrypoint and command
 */
public record ToolPlan(String name, String image, List<String> command, Map<String, String> environment, Map<String, String> labels) {

    public ToolPlan {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        labels = Map.copyOf(labels);
    }
}
