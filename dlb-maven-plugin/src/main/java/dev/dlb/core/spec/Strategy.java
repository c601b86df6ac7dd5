package dev.dlb.core.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the balancer spreads requests over the replicas. */
public enum Strategy {
    ROUND_ROBIN("round-robin"),
    LEAST_CONNECTIONS("least-connections"),
    IP_HASH("ip-hash");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Strategy> parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(s -> s.id.equals(normalized)).findFirst();
    }

    public static String allIds() {
        return Arrays.stream(values()).map(Strategy::id).collect(Collectors.joining(", "));
    }
}
