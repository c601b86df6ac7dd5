package dev.dlb.core.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Locale;
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
                log.accept(line(begin - origin, method.getName(), subject(args), clock.getAsLong() - begin) + outcome);
            }
        };
        return (ContainerEngine) Proxy.newProxyInstance(ContainerEngine.class.getClassLoader(), new Class<?>[] {ContainerEngine.class},
                handler);
    }

    /** One traced call, its begin after the goal's origin and its duration in nanoseconds; the form profile.py reads. */
    public static String line(long beginNanos, String call, String subject, long tookNanos) {
        return "dlb: trace +" + millis(beginNanos) + " ms " + call + "(" + subject + ") took " + millis(tookNanos) + " ms";
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
            return resource.kind().name().toLowerCase(Locale.ROOT) + " " + resource.name();
        }
        return first instanceof String || first instanceof Path ? first.toString() : "";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
