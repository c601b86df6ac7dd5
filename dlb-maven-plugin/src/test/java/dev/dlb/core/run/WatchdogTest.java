package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.EngineException;
import dev.dlb.core.testing.FakeTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    private final FakeTime time = new FakeTime();

    @Test
    void ownerDyingWhileTheMarkerExistsMeansCleanUp() throws Exception {
        AtomicInteger polls = new AtomicInteger();

        Watchdog.Outcome outcome = Watchdog.watch(() -> polls.incrementAndGet() < 4, () -> true, time.pacer());

        assertEquals(Watchdog.Outcome.OWNER_GONE, outcome);
        assertEquals(Duration.ofMillis(1500), time.elapsed(), "three polls of 500 ms before the owner was seen gone");
    }

    @Test
    void markerRemovedByStopEndsTheWatchdogWithoutCleanUp() throws Exception {
        AtomicInteger polls = new AtomicInteger();

        Watchdog.Outcome outcome = Watchdog.watch(() -> true, () -> polls.incrementAndGet() < 3, time.pacer());

        assertEquals(Watchdog.Outcome.STOPPED_NORMALLY, outcome);
    }

    @Test
    void ownerEndingAfterStopRemovedTheMarkerIsANormalEnd() throws Exception {
        AtomicInteger markerChecks = new AtomicInteger();

        // the first marker check sees it, the owner is then gone, and the re-check finds stop removed it meanwhile
        Watchdog.Outcome outcome = Watchdog.watch(() -> false, () -> markerChecks.incrementAndGet() == 1, time.pacer());

        assertEquals(Watchdog.Outcome.STOPPED_NORMALLY, outcome);
    }

    @Test
    void aWatchdogNeverOutlivesItsMaximumLifetime() throws Exception {
        Watchdog.Outcome outcome = Watchdog.watch(() -> true, () -> true, time.pacer());

        assertEquals(Watchdog.Outcome.EXPIRED, outcome);
        assertTrue(time.elapsed().compareTo(Duration.ofHours(24)) >= 0, "ran until " + time.elapsed());
    }

    @Test
    void afterItsOwnerDiedTheWatchdogTriesAgainWhileTheEngineDoesNotAnswer() throws Exception {
        AtomicInteger attempts = new AtomicInteger();

        boolean removed = Watchdog.sweepUntilDone(() -> {
            if (attempts.incrementAndGet() < 4) {
                throw EngineException.unanswered("no answer", null);
            }
        }, time.pacer());

        assertTrue(removed);
        assertEquals(4, attempts.get());
        assertEquals(List.of(Watchdog.SWEEP_PAUSE, Watchdog.SWEEP_PAUSE, Watchdog.SWEEP_PAUSE), time.sleeps());
    }

    @Test
    void theWatchdogGivesUpOnAnEngineThatNeverAnswersAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();

        boolean removed = Watchdog.sweepUntilDone(() -> {
            attempts.incrementAndGet();
            throw EngineException.unanswered("no answer", null);
        }, time.pacer());

        assertFalse(removed);
        assertEquals(Watchdog.SWEEP_RETRIES, time.elapsed());
        assertEquals(Watchdog.SWEEP_RETRIES.dividedBy(Watchdog.SWEEP_PAUSE) + 1, attempts.get());
    }
}
