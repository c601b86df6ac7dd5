package dev.dlb.core.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as nginx writes them: a whole number with ms, s or m, such as {@code 500ms} or {@code 3s}. */
public final class Durations {

    private static final Pattern NGINX = Pattern.compile("([1-9][0-9]{0,6})(ms|s|m)");

    private Durations() {
    }

    public static Optional<Duration> parse(String text) {
        Matcher m = NGINX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        });
    }

    /** Seconds with a decimal fraction, as sleep and curl take them: {@code 0.5}, {@code 2}. */
    public static String seconds(String text) {
        Duration d = parse(text).orElseThrow(() -> new IllegalStateException("unvalidated duration " + text));
        long millis = d.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }
}
