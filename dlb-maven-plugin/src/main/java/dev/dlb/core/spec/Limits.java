package dev.dlb.core.spec;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource limits of one kind of container.
 *
 * @param memory as in the POM: bytes, or a number with k, m or g (e.g. {@code 256m}); checked by {@link SpecValidator}
 * @param pids the most processes and threads the container may hold
 */
public record Limits(String memory, long pids) {

    private static final Pattern MEMORY = Pattern.compile("([0-9]{1,12})([kmg]?)b?");

    /** The memory limit in bytes, when {@link #memory} is well formed. */
    public OptionalLong memoryBytes() {
        Matcher m = MEMORY.matcher(memory == null ? "" : memory.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long unit = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> 1L;
        };
        try {
            return OptionalLong.of(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
        } catch (ArithmeticException e) {
            return OptionalLong.empty(); // more bytes than a long holds: not a size any engine could apply
        }
    }
}
