package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Removes a session when the JVM ends before stop ran: a failed build between start and stop, or
 * Ctrl-C. Armed by start before it creates anything, disarmed by stop. Static because start and stop
 * are separate Mojo instances in one JVM; keyed by session so parallel builds (-T) do not interfere.
 */
public final class SessionGuard {

    private static final ConcurrentMap<String, Thread> HOOKS = new ConcurrentHashMap<>();

    private SessionGuard() {
    }

    public static void arm(String projectId, String session, Supplier<ContainerEngine> engines, Consumer<String> log) {
        Thread hook = new Thread(() -> {
            try (ContainerEngine engine = engines.get()) {
                log.accept("dlb: the build ended before dlb:stop; removing session " + session + " of " + projectId);
                new StackStopper(engine, log).stopSession(projectId, session, false);
            } catch (EngineException | RuntimeException e) {
                log.accept("dlb: could not remove session " + session + ": " + e.getMessage());
            }
        }, "dlb-session-guard-" + session);
        if (HOOKS.putIfAbsent(session, hook) == null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    public static void disarm(String session) {
        Thread hook = HOOKS.remove(session);
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs and stop is idempotent
            }
        }
    }
}
