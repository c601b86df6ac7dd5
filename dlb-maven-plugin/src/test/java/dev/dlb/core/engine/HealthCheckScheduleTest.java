package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Health checks run on request: at once, then once per interval and container, by a fake clock. */
class HealthCheckScheduleTest {

    private static final long TWO_SECONDS = Duration.ofSeconds(2).toNanos();

    private final AtomicLong clock = new AtomicLong(Long.MAX_VALUE - TWO_SECONDS); // the nano clock may wrap
    private final HealthCheckSchedule schedule = new HealthCheckSchedule(clock::get);

    @Test
    void dueAtOnceThenOncePerInterval() {
        assertTrue(schedule.due("a", TWO_SECONDS));
        assertFalse(schedule.due("a", TWO_SECONDS));
        clock.addAndGet(TWO_SECONDS - 1);
        assertFalse(schedule.due("a", TWO_SECONDS));
        clock.addAndGet(1);
        assertTrue(schedule.due("a", TWO_SECONDS));
        assertFalse(schedule.due("a", TWO_SECONDS));
    }

    @Test
    void eachContainerHasItsOwnTurn() {
        assertTrue(schedule.due("a", TWO_SECONDS));
        assertTrue(schedule.due("b", TWO_SECONDS));
        assertFalse(schedule.due("a", TWO_SECONDS));
    }

    @Test
    void aCheckWithoutAnIntervalRunsAtDockersDefault() {
        assertTrue(schedule.due("a", 0));
        clock.addAndGet(HealthCheckSchedule.DEFAULT_INTERVAL.toNanos() - 1);
        assertFalse(schedule.due("a", 0));
        clock.addAndGet(1);
        assertTrue(schedule.due("a", 0));
    }
}
