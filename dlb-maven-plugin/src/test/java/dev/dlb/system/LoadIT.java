package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.spec.StackSpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The balancer under sustained load, measured by Debian's wrk and ab from the host: wrk at 50, 200 and
 * 1,000 kept-alive connections for 10 s each, ab at 300 concurrent requests without keepalive. Every
 * request gets its 2xx and no socket fails. The same load against the stack as it was before (passive
 * checks on every failure, small pools, httpd's own limits) fails, so this test can fail.
 */
class LoadIT {

    private static final Duration RUN = Duration.ofSeconds(10);

    @Test
    void everyRequestIsAnsweredAt50And200And1000ConnectionsAndWithoutKeepalive() throws Exception {
        List<Figures> rows = underLoad("load", spec -> spec, List.of(50, 200, 1000), true);

        rows.forEach(r -> assertEquals(0, r.non2xx() + r.socketErrors(), r.load() + ": " + r));
        rows.forEach(r -> assertTrue(r.requests() >= 1000, r.load() + " served too few requests to prove anything: " + r));
    }

    @Test
    void theStackAsItWasBeforeFailsTheSameLoad() throws Exception {
        List<Figures> rows = underLoad("load-control", RealStack::asBeforeTheFix, List.of(200, 1000), false);

        assertTrue(rows.stream().anyMatch(r -> r.non2xx() + r.socketErrors() > 0),
                "the settings before the fix must fail some requests at 200 or 1000 connections, or this test cannot fail: " + rows);
    }

    interface Variant {
        StackSpec apply(StackSpec spec);
    }

    private static List<Figures> underLoad(String name, Variant variant, List<Integer> connections, boolean withAb) throws Exception {
        StackSpec spec = variant.apply(RealStack.spec(name));
        List<Figures> rows = new ArrayList<>();
        try (ContainerEngine engine = RealStack.engine()) {
            try {
                RunningStack stack = RealStack.start(engine, spec, HexFormat.of().formatHex(new SecureRandom().generateSeed(4)));
                for (int c : connections) {
                    rows.add(wrk(stack.balancerUrl(), c));
                }
                if (withAb) {
                    rows.add(ab(stack.balancerUrl(), 300, 20_000));
                }
            } finally {
                print(name, rows);
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
        return rows;
    }

    /** One load's outcome: requests answered, per second, the 99th percentile, and what went wrong. */
    record Figures(String load, long requests, double perSecond, String p99, long non2xx, long socketErrors) {
    }

    private static Figures wrk(String url, int connections) throws Exception {
        String out = Commands.run(RUN.plusSeconds(30), List.of("wrk", "-t2", "-c" + connections, "-d" + RUN.toSeconds() + "s",
                "--timeout", "10s", "--latency", url)).requireSuccess().output();
        Matcher errors = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        long socketErrors = 0;
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(errors.group(g));
            }
        }
        return new Figures("wrk, " + connections + " connections, keepalive", number(out, "(\\d+) requests in"),
                decimal(out, "Requests/sec:\\s+([0-9.]+)"), text(out, "\\n\\s+99%\\s+(\\S+)"), number(out, "Non-2xx or 3xx responses: (\\d+)"),
                socketErrors);
    }

    private static Figures ab(String url, int concurrency, int requests) throws Exception {
        String out = Commands.run(Duration.ofSeconds(120), List.of("ab", "-q", "-s", "10", "-c", Integer.toString(concurrency),
                "-n", Integer.toString(requests), url)).output();
        long complete = number(out, "Complete requests:\\s+(\\d+)");
        long failed = number(out, "Failed requests:\\s+(\\d+)") + (requests - complete);
        return new Figures("ab, " + concurrency + " concurrent, no keepalive", complete, decimal(out, "Requests per second:\\s+([0-9.]+)"),
                text(out, "\\n\\s+99%\\s+(\\d+)") + "ms", number(out, "Non-2xx responses:\\s+(\\d+)"), failed);
    }

    private static void print(String name, List<Figures> rows) {
        StringBuilder table = new StringBuilder("\nLoadIT " + name + " (3 replicas, through the balancer on 127.0.0.1)\n"
                + "| load | requests | requests/s | p99 | non-2xx | socket errors |\n|---|---|---|---|---|---|\n");
        rows.forEach(r -> table.append(String.format("| %s | %d | %.0f | %s | %d | %d |%n", r.load(), r.requests(), r.perSecond(), r.p99(),
                r.non2xx(), r.socketErrors())));
        System.out.println(table);
    }

    private static long number(String out, String regex) {
        return Long.parseLong(text(out, regex).replace("-", "0"));
    }

    private static double decimal(String out, String regex) {
        return Double.parseDouble(text(out, regex).replace("-", "0"));
    }

    /** The first group of the pattern in the tool's output; "-" when the tool printed no such line (wrk omits zero counts). */
    private static String text(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? m.group(1) : "-";
    }
}
