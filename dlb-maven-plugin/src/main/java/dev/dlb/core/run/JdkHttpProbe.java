package dev.dlb.core.run;

import dev.dlb.core.spec.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link HttpProbe} over the JDK's HttpURLConnection, with short timeouts so that a silent balancer costs little, one
 * connection per request, no proxy and no redirects. Not java.net.http: its client's first answer costs a cold JVM
 * 0.25–0.3 s of class loading and its own selector thread, this one's 0.05 s, and the start waits for it after its last
 * container started. Plain HTTP only: the balancer is published without TLS.
 */
public final class JdkHttpProbe implements HttpProbe {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Between two reads; the answers are a few lines. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    /** The rotation page of 64 replicas is 3 KB; a longer body is not the balancer's. */
    static final int MAX_BODY = 64 * 1024;

    @Override
    public Optional<Answer> get(URI uri) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            // nothing kept in the JVM's shared keep-alive cache, which would outlive the goal
            connection.setRequestProperty("Connection", "close");
            int status = connection.getResponseCode();
            if (status < 0) {
                return Optional.empty(); // not HTTP
            }
            Optional<String> replica = Optional.ofNullable(connection.getHeaderField(Topology.REPLICA_HEADER));
            return Optional.of(new Answer(status, replica, body(connection, status)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static String body(HttpURLConnection connection, int status) throws IOException {
        try (InputStream in = status >= HttpURLConnection.HTTP_BAD_REQUEST ? connection.getErrorStream() : connection.getInputStream()) {
            return in == null ? "" : new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        }
    }
}
