package dev.dlb.core.engine;

import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How long the engine may take to answer.
 *
 * @param call every call but builds and pulls: creating, starting, inspecting, listing, removing
 * @param build one image build or pull as a whole; these may be silent for long (a RUN step, a big layer)
 */
public record EngineTimeouts(Duration call, Duration build) {

    public static final String CALL_PROPERTY = "dlb.engine.timeout";
    public static final String BUILD_PROPERTY = "dlb.engine.buildTimeout";
    public static final EngineTimeouts DEFAULT = new EngineTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(30));

    /** From {@code -Ddlb.engine.timeout} and {@code -Ddlb.engine.buildTimeout} (seconds); a property not given keeps its default. */
    public static EngineTimeouts of(Optional<String> call, Optional<String> build) {
        return new EngineTimeouts(seconds(CALL_PROPERTY, call, DEFAULT.call), seconds(BUILD_PROPERTY, build, DEFAULT.build));
    }

    @Override
    public String toString() {
        return "calls " + call.toSeconds() + " s, builds and pulls " + build.toSeconds() + " s";
    }

    private static Duration seconds(String property, Optional<String> value, Duration fallback) {
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long seconds = Long.parseLong(value.get().strip());
            if (seconds >= 1) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSpecException(List.of(new Problem("-D" + property, value.get(), "not a whole number of seconds of at least 1",
                "give seconds, such as -D" + property + "=" + fallback.toSeconds() + " (the default)")));
    }
}
