package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.core.DockerClientConfig;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class JsonWarmupTest {

    /** A step that failed would end the warm-up silently, leaving every later reader and writer cold. */
    @Test
    void everyStepRunsOnDockerJavasMapper() {
        assertDoesNotThrow(() -> JsonWarmup.warm(DockerClientConfig.getDefaultObjectMapper()));
    }

    /**
     * A goal that ends before the warm-up does (a stop with nothing to stop) has Maven close the plugin's class loader
     * under the warm-up thread; what that thread then fails to load must not reach the build's output as a stack trace.
     */
    @Test
    void aClassLoaderClosedUnderTheWarmupLeavesNoUncaughtError() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Set<Thread> earlier = Set.copyOf(Thread.getAllStackTraces().keySet());
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            List<Thread> warmups = new ArrayList<>();
            // a loader of its own, as Maven's plugin realm is: JsonWarmup and docker-java start cold in it
            try (URLClassLoader realm = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
                Method begin = realm.loadClass(JsonWarmup.class.getName()).getDeclaredMethod("begin");
                begin.setAccessible(true);
                begin.invoke(null);
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> !earlier.contains(t) && t.getName().equals("dlb-json-warmup")).forEach(warmups::add);
            }
            assertEquals(1, warmups.size(), "the warm-up thread began in the closed loader");
            for (Thread t : warmups) {
                t.join(30_000);
                assertFalse(t.isAlive(), "the warm-up thread ended");
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertTrue(uncaught.isEmpty(), "uncaught: " + uncaught);
    }

    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
