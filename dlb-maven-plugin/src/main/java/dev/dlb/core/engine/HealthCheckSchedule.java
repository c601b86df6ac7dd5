package dev.dlb.core.engine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * When to run a container's health check on an engine that runs them only when asked: the first time it is
 * asked, then at most once per the check's interval, by this process's clock (the engine's may be elsewhere).
 */
final class HealthCheckSchedule {

    /** Docker's interval for a check that names none. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private final LongSupplier nanoClock;
    private final Map<String, Long> lastRun = new ConcurrentHashMap<>();

    HealthCheckSchedule(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether the container's check is due now; if so, it counts as run now. @param intervalNanos 0: the default */
    boolean due(String container, long intervalNanos) {
        long interval = intervalNanos > 0 ? intervalNanos : DEFAULT_INTERVAL.toNanos();
        long now = nanoClock.getAsLong();
        AtomicBoolean due = new AtomicBoolean();
        lastRun.compute(container, (id, last) -> {
            due.set(last == null || now - last >= interval);
            return due.get() ? now : last;
        });
        return due.get();
    }
}
