package dev.dlb.system;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackSession;
import dev.dlb.core.run.StackSession.Lifetime;
import dev.dlb.core.run.StackStopper;
import dev.dlb.core.spec.StackSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A stand-in for the Maven JVM in {@link FaultMatrixIT}: starts an attended session exactly as the
 * start goal does (session files, watchdog, stack), prints {@code STACK-UP <url> session <id>}, then
 * plays one part of a build. Everything it prints goes to stdout, one line per event, so that the
 * test can act on it.
 *
 * <p>Usage: {@code StackChild <name> <mode>} with the system properties dlb.standin.httpd,
 * dlb.standin.nginx and dlb.confd.binary set. Modes:
 * <ul>
 *   <li>{@code its-running}: the ITs run; sleeps (at most {@link #ITS_RUNNING}) until the test signals or kills it</li>
 *   <li>{@code its-fail}: a failing IT run that ends the JVM with exit code 1 without stop, as a build that dies would</li>
 *   <li>{@code normal-end}: stop runs (session removed, marker deleted), then the JVM stays up (bounded) so that the
 *       test can see the watchdog end by itself while its owner still lives</li>
 * </ul>
 */
public final class StackChild {

    /** How long the simulated ITs run at most; the test ends the child well before. */
    static final Duration ITS_RUNNING = Duration.ofSeconds(120);
    static final int EXIT_IT_FAILED = 1;
    static final int EXIT_TIMED_OUT = 3;

    private StackChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: StackChild <name> <its-running|its-fail|normal-end>");
        }
        String name = args[0];
        String mode = args[1];
        say("CHILD-PID " + ProcessHandle.current().pid() + " SIGINT-IGNORED " + sigintIgnored());
        StackSpec spec = RealStack.spec(name);
        try (ContainerEngine engine = RealStack.engine()) {
            RealStack.buildImages(engine, spec);
            say("IMAGES-READY");
            RunningStack stack = new StackSession(engine, EngineSettings.current(), new JdkHttpProbe(), Pacer.system(), StackChild::say)
                    .start(spec, Lifetime.ATTENDED, Path.of(System.getProperty("user.dir")));
            say("STACK-UP " + stack.balancerUrl() + " session " + stack.session());
            switch (mode) {
                case "its-running" -> {
                    Thread.sleep(ITS_RUNNING.toMillis());
                    say("CHILD-TIMEOUT nobody ended this child within " + ITS_RUNNING.toSeconds() + " s");
                    System.exit(EXIT_TIMED_OUT);
                }
                case "its-fail" -> {
                    failingIt(URI.create(stack.balancerUrl()));
                    System.exit(EXIT_IT_FAILED);
                }
                case "normal-end" -> {
                    List<Resource> removed = new StackStopper(engine, StackChild::say)
                            .stopSession(spec.projectId(), stack.session(), spec.keepVolumes());
                    new RunFiles(spec.outputDirectory()).clear();
                    say("STOPPED removed " + removed.size() + " resources");
                    Thread.sleep(ITS_RUNNING.toMillis());
                    say("CHILD-TIMEOUT nobody ended this child within " + ITS_RUNNING.toSeconds() + " s");
                    System.exit(EXIT_TIMED_OUT);
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
    }

    /** What failsafe does with a failing IT: the test talks to the stack, then an assertion fails. */
    private static void failingIt(URI balancer) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(balancer).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        say("IT-FAILED expected the balancer to answer 418, it answered " + answer.statusCode());
    }

    /** Whether this JVM inherited SIGINT as ignored; then it ignores Ctrl-C for good and the SIGINT cases mean nothing. */
    private static boolean sigintIgnored() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                    .map(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16))
                    .anyMatch(mask -> (mask & (1L << (2 - 1))) != 0);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
