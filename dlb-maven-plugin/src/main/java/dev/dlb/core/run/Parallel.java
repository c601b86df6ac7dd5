package dev.dlb.core.run;

import dev.dlb.core.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Engine calls made at once. Closing it drops the calls not begun and waits for those under way, so that
 * after a failure everything that was created is known to the caller that removes it.
 */
final class Parallel implements AutoCloseable {

    private final ExecutorService pool;
    private final List<Future<?>> submitted = new ArrayList<>();

    Parallel(int threads) {
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), StackStopper.daemon());
    }

    <T> Future<T> submit(Callable<T> call) {
        Future<T> future = pool.submit(call);
        submitted.add(future);
        return future;
    }

    /** The call's result; what it threw is thrown as it was (an engine's error, or a configuration problem). */
    static <T> T get(Future<T> future) throws EngineException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof EngineException engineException) {
                throw engineException;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new EngineException("an engine call failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        submitted.forEach(f -> f.cancel(false));
        pool.shutdown();
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
