package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child JVM whose output is echoed and kept, line by line. */
final class ChildJvm {

    final String name;
    final Process process;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean drained;

    ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(this::pump, "child-" + name);
        pump.setDaemon(true);
        pump.start();
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

    Optional<String> first(Predicate<String> match) {
        synchronized (lines) {
            return lines.stream().filter(match).findFirst();
        }
    }

    boolean saw(Predicate<String> match) {
        synchronized (lines) {
            return lines.stream().anyMatch(match);
        }
    }

    String await(Predicate<String> match, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long rounds = timeout.toMillis() / 50 + 1;
        for (long i = 0; i < rounds; i++) {
            boolean over = drained;
            synchronized (lines) {
                Optional<String> found = lines.stream().filter(match).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            if (over) {
                return fail("child " + name + " ended (exit " + process.waitFor() + ") before " + what + "; it printed " + lines);
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.sleep(50);
        }
        return fail("child " + name + ": no sign within " + timeout.toSeconds() + " s that " + what + "; it printed " + lines);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("child " + name + " still runs " + timeout.toSeconds() + " s after it should have ended");
        }
        return process.exitValue();
    }

    /** Ctrl-C: SIGINT to the child's process group when it leads one of its own, else to the child alone. */
    void interruptGroup() throws IOException, InterruptedException {
        long pid = process.pid();
        String target = processGroup(pid) == pid ? "-" + pid : Long.toString(pid);
        Process kill = new ProcessBuilder("kill", "-INT", "--", target).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -INT returns");
        assertEquals(0, kill.exitValue(), "kill -INT -- " + target + ": " + new String(kill.getInputStream().readAllBytes()));
    }

    void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[2]);
    }
}
