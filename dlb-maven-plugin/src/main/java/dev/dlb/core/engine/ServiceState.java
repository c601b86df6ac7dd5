package dev.dlb.core.engine;

import java.util.Map;
import java.util.Optional;

/**
 * A Swarm service as the engine holds it.
 *
 * @param version what an update must name, so that it does not overwrite a change it did not see
 * @param updateState the state of its last update (updating, completed, paused, rollback_completed, ...), if any
 */
public record ServiceState(String id, String name, long version, Map<String, String> labels, String image, int replicas,
                           Map<String, String> environment, Optional<String> updateState, String updateMessage) {
}
