package dev.dlb.core.engine;

import java.util.Map;

/** A container, network, volume, or Swarm service, config or secret the engine holds. For volumes the id is the name. */
public record Resource(Kind kind, String id, String name, Map<String, String> labels) {

    public enum Kind { CONTAINER, NETWORK, VOLUME, SERVICE, CONFIG, SECRET }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name;
    }
}
