package dev.dlb.core.engine;

/**
 * One task of a Swarm service.
 *
 * @param slot its slot (1..replicas), the {@code {{.Task.Slot}}} it was made with
 * @param state what it is (running, starting, failed, shutdown, ...), {@code desiredState} what Swarm wants it to be
 * @param message the engine's message on it, an error's text if it failed
 */
public record TaskState(String id, String serviceId, int slot, String nodeId, String state, String desiredState, String message) {

    public boolean running() {
        return "running".equals(state) && "running".equals(desiredState);
    }
}
