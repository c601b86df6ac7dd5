package dev.dlb.core.engine;

/** A node of the swarm: its host name, manager or worker, ready or down, active or drained. */
public record SwarmNode(String id, String hostname, String role, String state, String availability) {
}
