package dev.dlb.core.engine;

import static dev.dlb.core.engine.StreamWatch.Verdict.ENGINE_GONE;
import static dev.dlb.core.engine.StreamWatch.Verdict.TOO_LONG;
import static dev.dlb.core.engine.StreamWatch.Verdict.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Times in seconds from the start of the build; the engine's call timeout is 30 s, the whole build may take 600 s. */
class StreamWatchTest {

    private static final EngineTimeouts TIMEOUTS = new EngineTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(600));
    private final StreamWatch watch = new StreamWatch(TIMEOUTS, 0);
    private final AtomicInteger pings = new AtomicInteger();

    @Test
    void aBuildThatSpeaksIsLeftAloneAndTheEngineIsNotPinged() {
        for (long t = 10; t < 600; t += 10) {
            assertEquals(WAIT, watch.next(s(t), s(t - 1), answering()));
        }
        assertEquals(0, pings.get());
    }

    @Test
    void aSilentBuildIsFineWhileTheEngineAnswersPings() {
        for (long t = 10; t < 600; t += 10) {
            assertEquals(WAIT, watch.next(s(t), 0, answering()));
        }
        assertEquals(59, pings.get(), "one ping per heartbeat of silence");
    }

    @Test
    void aSilentBuildOfAnEngineThatAnswersNoPingForTheCallTimeoutMeansTheEngineIsGone() {
        assertEquals(WAIT, watch.next(s(10), 0, silent()));
        assertEquals(WAIT, watch.next(s(20), 0, silent()));
        assertEquals(WAIT, watch.next(s(30), 0, silent()));
        assertEquals(ENGINE_GONE, watch.next(s(40), 0, silent()), "unanswered from 10 s to 40 s");
    }

    @Test
    void anAnsweredPingOrNewOutputStartsTheCountAgain() {
        assertEquals(WAIT, watch.next(s(10), 0, silent()));
        assertEquals(WAIT, watch.next(s(20), 0, silent()));
        assertEquals(WAIT, watch.next(s(30), 0, answering()));
        assertEquals(WAIT, watch.next(s(40), 0, silent()));
        assertEquals(WAIT, watch.next(s(50), 0, silent()));
        assertEquals(WAIT, watch.next(s(60), s(55), silent()), "the build spoke at 55 s");
        assertEquals(WAIT, watch.next(s(70), s(55), silent()));
        assertEquals(WAIT, watch.next(s(80), s(55), silent()));
        assertEquals(WAIT, watch.next(s(90), s(55), silent()));
        assertEquals(ENGINE_GONE, watch.next(s(100), s(55), silent()), "unanswered from 70 s to 100 s");
    }

    @Test
    void aBuildLongerThanTheBuildTimeoutEndsWhateverTheEngineSays() {
        assertEquals(TOO_LONG, watch.next(s(600), s(599), answering()));
        assertEquals(0, pings.get());
    }

    @Test
    void theHeartbeatIsTenSecondsOrTheCallTimeoutIfShorter() {
        assertEquals(Duration.ofSeconds(10), watch.heartbeat());
        assertEquals(Duration.ofSeconds(4), new StreamWatch(new EngineTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(60)), 0).heartbeat());
    }

    private BooleanSupplier answering() {
        return () -> {
            pings.incrementAndGet();
            return true;
        };
    }

    private BooleanSupplier silent() {
        return () -> {
            pings.incrementAndGet();
            return false;
        };
    }

    private static long s(long seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }
}
