package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JVM running one of the test classes' mains, its output echoed and kept line by line. */
final class ChildJvm {

    final Process process;
    private final String name;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean drained;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        SilentListener.daemon("child-" + name, this::pump);
    }

    /** {@code java -Dk=v... -cp <this classpath> main args...}, with the docker variables of this JVM's environment removed. */
    static ChildJvm launch(String name, List<String> properties, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        return new ChildJvm(name, builder.start());
    }

    private void pump() {
        try (BufferedReader in = process.inputReader()) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                System.out.println("    [" + name + "] " + line);
            }
        } catch (IOException e) {
            System.out.println("    [" + name + "] (output ended: " + e.getMessage() + ")");
        } finally {
            drained = true;
        }
    }

    /** The first line that matches, waiting for it at most {@code timeout}. */
    String await(Predicate<String> match, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long round = 0; round <= timeout.toMillis() / 20; round++) {
            boolean over = drained;
            Optional<String> found = first(match);
            if (found.isPresent()) {
                return found.get();
            }
            if (over || System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(20);
        }
        return fail("child " + name + ": no sign within " + timeout.toSeconds() + " s that " + what + "; it printed " + lines);
    }

    Optional<String> first(Predicate<String> match) {
        synchronized (lines) {
            return lines.stream().filter(match).findFirst();
        }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("child " + name + " still runs " + timeout.toSeconds() + " s after it should have ended");
        }
        return process.exitValue();
    }

    void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
