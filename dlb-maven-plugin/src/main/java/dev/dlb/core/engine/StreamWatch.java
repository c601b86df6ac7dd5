package dev.dlb.core.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * While a build or pull runs: whether to keep waiting. Silence alone is fine (a long RUN step, a big
 * layer), so after {@link #heartbeat()} without output the engine is pinged; only an engine that answers
 * no ping for the call timeout is taken as gone. The whole build or pull is bounded too.
 */
final class StreamWatch {

    enum Verdict { WAIT, ENGINE_GONE, TOO_LONG }

    static final Duration MAX_HEARTBEAT = Duration.ofSeconds(10);

    private final EngineTimeouts timeouts;
    private final long started;
    private long lastPing;
    private long unansweredSince;
    private boolean unanswered;

    StreamWatch(EngineTimeouts timeouts, long startedNanos) {
        this.timeouts = timeouts;
        this.started = startedNanos;
        this.lastPing = startedNanos;
    }

    /** How long to wait between looks: at most 10 s, and never longer than the call timeout. */
    Duration heartbeat() {
        return timeouts.call().compareTo(MAX_HEARTBEAT) < 0 ? timeouts.call() : MAX_HEARTBEAT;
    }

    /** @param lastOutput when the build or pull last said something (nanos, the same clock as {@code now}) */
    Verdict next(long now, long lastOutput, BooleanSupplier pingAnswered) {
        if (now - started >= timeouts.build().toNanos()) {
            return Verdict.TOO_LONG;
        }
        if (now - lastOutput < heartbeat().toNanos()) {
            unanswered = false;
            return Verdict.WAIT;
        }
        if (now - lastPing < heartbeat().toNanos()) {
            return Verdict.WAIT;
        }
        lastPing = now;
        if (pingAnswered.getAsBoolean()) {
            unanswered = false;
            return Verdict.WAIT;
        }
        if (!unanswered) {
            unanswered = true;
            unansweredSince = now;
        }
        return now - unansweredSince >= timeouts.call().toNanos() ? Verdict.ENGINE_GONE : Verdict.WAIT;
    }
}
