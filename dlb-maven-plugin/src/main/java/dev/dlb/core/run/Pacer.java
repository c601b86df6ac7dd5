package dev.dlb.core.run;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Time for polling loops: a deadline and a short, growing pause. Clock and sleep are passed in so
 * that tests run polling with a fake clock.
 */
public final class Pacer {

    /** Sleeps; a seam for tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Duration FIRST = Duration.ofMillis(50);
    private static final Duration MAX = Duration.ofMillis(500);

    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    public Pacer(LongSupplier nanoClock, Sleeper sleeper) {
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    public static Pacer system() {
        return new Pacer(System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    public long now() {
        return nanoClock.getAsLong();
    }

    public long deadline(Duration timeout) {
        return now() + timeout.toNanos();
    }

    public boolean before(long deadline) {
        return now() - deadline < 0;
    }

    public void sleep(Duration duration) throws InterruptedException {
        sleeper.sleep(duration);
    }

    /** Pauses for the {@code attempt}-th time: 50 ms, doubling, at most 500 ms. */
    public void pause(int attempt) throws InterruptedException {
        long millis = Math.min(MAX.toMillis(), FIRST.toMillis() << Math.min(attempt, 10));
        sleeper.sleep(Duration.ofMillis(millis));
    }
}
