package dev.dlb.core.run;

import dev.dlb.core.engine.NoTls;
import dev.dlb.core.spec.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link HttpProbe} over java.net.http with short timeouts, so a silent balancer costs little. Plain HTTP only: the
 * balancer is published without TLS, so the client never builds the JDK's default TLS context (0.3 s in a cold JVM).
 */
public final class JdkHttpProbe implements HttpProbe, AutoCloseable {

    /** JDK 17 to 20: the client's toString ends with its id, which names its selector thread. */
    private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");
    private static final Duration SELECTOR_END = Duration.ofMillis(200);

    private HttpClient client;

    @Override
    public Optional<Answer> get(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Answer(response.statusCode(), response.headers().firstValue(Topology.REPLICA_HEADER), response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Made at the first request, where it waits for the balancer anyway, rather than before the engine is asked anything. */
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
                    .sslContext(NoTls.context()).sslParameters(NoTls.parameters()).build();
        }
        return client;
    }

    /**
     * Ends the client's selector thread. That thread waits in native code, and the JVM's exit waits up to 300 ms for
     * such a thread, after the goal has finished. JDK 21 and later close the client; JDK 17 to 20 have no close, but
     * their selector loop ends when its thread is interrupted.
     */
    @Override
    public void close() {
        HttpClient client;
        synchronized (this) {
            client = this.client;
        }
        if (client == null) {
            return; // never made: no thread to end
        }
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing is in flight once a goal closes it; a failure to close changes nothing of the stack
            }
            return;
        }
        Matcher id = CLIENT_ID.matcher(client.toString());
        if (!id.find()) {
            return; // another JDK's naming: its thread stays, which costs the exit time only
        }
        String name = "HttpClient-" + id.group(1) + "-SelectorManager";
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                thread.interrupt();
                try {
                    thread.join(SELECTOR_END.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
