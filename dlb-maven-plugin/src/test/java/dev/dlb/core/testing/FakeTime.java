package dev.dlb.core.testing;

import dev.dlb.core.run.Pacer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when the code under test sleeps; nothing really waits. */
public final class FakeTime {

    private long nanos = 1_000_000_000L;
    private final long start = nanos;
    private final List<Duration> sleeps = new ArrayList<>();

    public Pacer pacer() {
        return new Pacer(() -> nanos, d -> {
            sleeps.add(d);
            nanos += d.toNanos();
        });
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanos - start);
    }

    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
