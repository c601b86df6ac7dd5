package dev.dlb.core.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A goal's profile: every engine call, when it began after the goal's origin and how long it took, one line
 * each. {@code scripts/bench/profile.py} reads these lines, so their form is kept:
 * {@code dlb: trace +BEGIN ms CALL(SUBJECT) took DURATION ms}.
 */
public final class EngineTrace {

    private EngineTrace() {
    }

    /** @param origin the goal's start, on {@code clock} */
    public static ContainerEngine wrap(ContainerEngine engine, LongSupplier clock, long origin, Consumer<String> log) {
        InvocationHandler handler = (proxy, method, args) -> {
            long begin = clock.getAsLong();
            String outcome = "";
            try {
                return method.invoke(engine, args);
            } catch (InvocationTargetException e) {
                outcome = " failing (" + e.getCause().getClass().getSimpleName() + ")";
                throw e.getCause();
            } finally {
                long end = clock.getAsLong();
                log.accept("dlb: trace +" + millis(begin - origin) + " ms " + method.getName() + "(" + subject(args) + ") took "
                        + millis(end - begin) + " ms" + outcome);
            }
        };
        return (ContainerEngine) Proxy.newProxyInstance(ContainerEngine.class.getClassLoader(), new Class<?>[] {ContainerEngine.class},
                handler);
    }

    /** What a call is about, as short as tells calls apart: a name, never a whole plan or a label map. */
    static String subject(Object[] args) {
        if (args == null || args.length == 0) {
            return "";
        }
        Object first = args[0];
        if (first instanceof ContainerPlan plan) {
            return plan.name();
        }
        if (first instanceof ToolPlan plan) {
            return plan.name();
        }
        if (first instanceof ServicePlan plan) {
            return plan.name();
        }
        if (first instanceof Resource resource) {
            return resource.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + resource.name();
        }
        return first instanceof String || first instanceof java.nio.file.Path ? first.toString() : "";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
