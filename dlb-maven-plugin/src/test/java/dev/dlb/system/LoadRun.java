package dev.dlb.system;

import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A bounded load of GETs: {@code clients} threads, each a client waiting for its answer before it asks
 * again, send at most {@code total} requests, paced evenly over {@code spread}, and none after
 * {@code deadline}. One more thread injects a fault once a third of the requests have been sent. Every
 * answer is recorded, whatever it was, with how long it took.
 */
final class LoadRun {

    private final int clients;
    private final Duration requestTimeout;

    /** One request: when it was sent and answered (System.nanoTime), and what came back. */
    record Result(long sent, long done, int status, String replica, boolean complete, String error) {

        boolean ok() {
            return error == null && status == 200 && complete;
        }

        double seconds() {
            return (done - sent) / 1e9;
        }
    }

    /** The whole run; fault times are System.nanoTime values, -1 when the fault never ran. */
    record Report(List<Result> results, long start, long end, long faultStart, long faultEnd) {

        long count(Predicate<Result> which) {
            return results.stream().filter(which).count();
        }

        List<Result> sentAfter(long nanos) {
            return results.stream().filter(r -> r.sent() > nanos).toList();
        }

        double seconds(long nanos) {
            return (nanos - start) / 1e9;
        }

        /** The time of the answer at this percentile (0 to 100) of all, in seconds. */
        double percentile(double p) {
            double[] sorted = results.stream().mapToDouble(Result::seconds).sorted().toArray();
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
        }

        String latencies() {
            return String.format("p50=%.3f s p90=%.3f s p99=%.3f s p99.9=%.3f s max=%.3f s", percentile(50), percentile(90),
                    percentile(99), percentile(99.9), percentile(100));
        }
    }

    interface Fault {
        void inject() throws Exception;
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Eight clients, and a request that has no answer within 5 s fails. */
    LoadRun() {
        this(8, Duration.ofSeconds(5));
    }

    LoadRun(int clients, Duration requestTimeout) {
        this.clients = clients;
        this.requestTimeout = requestTimeout;
    }

    Report run(URI uri, int total, Duration spread, Duration deadline, Fault fault) throws Exception {
        long start = System.nanoTime();
        long stop = start + deadline.toNanos();
        long interval = spread.toNanos() / total;
        AtomicInteger next = new AtomicInteger();
        Queue<Result> results = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        try {
            Future<long[]> faultTimes = pool.submit(() -> {
                while (next.get() < total / 3 && System.nanoTime() < stop) {
                    Thread.sleep(5);
                }
                long begun = System.nanoTime();
                fault.inject();
                return new long[] {begun, System.nanoTime()};
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                workers.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                        long due = start + n * interval;
                        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                        if (System.nanoTime() > stop) {
                            return null;
                        }
                        results.add(get(uri));
                    }
                    return null;
                }));
            }
            long bound = deadline.plus(requestTimeout).plusSeconds(5).toNanos();
            for (Future<?> worker : workers) {
                worker.get(Math.max(1, start + bound - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            long end = System.nanoTime();
            long[] times = faultTimes.get(Math.max(1, start + bound + TimeUnit.SECONDS.toNanos(30) - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new Report(List.copyOf(results), start, end, times[0], times[1]);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** One GET, never throwing: an exception is recorded as the result's error. */
    Result get(URI uri) {
        long sent = System.nanoTime();
        try {
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(uri).timeout(requestTimeout).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String replica = answer.headers().firstValue(Topology.REPLICA_HEADER).orElse("");
            return new Result(sent, System.nanoTime(), answer.statusCode(), replica, complete(answer, replica), null);
        } catch (Exception e) {
            return new Result(sent, System.nanoTime(), -1, "", false, e.toString());
        }
    }

    /** The whole page of the replica that says it answered: the declared length, the closing tag, its number. */
    private static boolean complete(HttpResponse<byte[]> answer, String replica) {
        OptionalLong length = answer.headers().firstValueAsLong("Content-Length");
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        return length.isPresent() && length.getAsLong() == answer.body().length && body.stripTrailing().endsWith("</html>")
                && replica.startsWith("web-") && body.contains("<h1>server " + replica.substring("web-".length()) + "</h1>");
    }
}
