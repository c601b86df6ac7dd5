package dev.dlb.core.run;

import dev.dlb.core.spec.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** {@link HttpProbe} over java.net.http with short timeouts, so a silent balancer costs little. */
public final class JdkHttpProbe implements HttpProbe, AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Override
    public Optional<Answer> get(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Answer(response.statusCode(), response.headers().firstValue(Topology.REPLICA_HEADER), response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Ends the client's selector thread on JDK 21 and later, where HttpClient is AutoCloseable: that thread waits in
     * native code, and the JVM's exit waits up to 300 ms for such a thread. JDK 17 has no way to end it.
     */
    @Override
    public void close() {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing is in flight once a goal closes it; a failure to close changes nothing of the stack
            }
        }
    }
}
