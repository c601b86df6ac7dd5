package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls and builds whose stream says something and then never ends, over a fake transport: they must
 * fail once the build timeout is over (a pull used to pass), and let go of the stream. The timeout is
 * short, yet long enough for the first line to be read and passed on even on a loaded machine.
 */
class DockerJavaEngineStreamTest {

    private static final EngineTimeouts SHORT_BUILDS = new EngineTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(3));

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aPullThatDoesNotFinishInTimeFails() throws Exception {
        EndlessStream stream = new EndlessStream("{\"status\":\"Pulling from library/busybox\"}\n");

        EngineException e = assertThrows(EngineException.class, () -> engine(stream).pullImage("busybox:1", output::add));

        assertTrue(e.getMessage().startsWith("Docker did not finish pulling busybox:1 within 3 s at tcp://127.0.0.1:9"), e::getMessage);
        assertTrue(e.getMessage().endsWith("Fix: if it takes that long, raise -Ddlb.engine.buildTimeout (seconds)"), e::getMessage);
        assertEquals(List.of("Pulling from library/busybox"), output, "the pull was under way");
        assertTrue(stream.closed.await(10, TimeUnit.SECONDS), "the stream is let go");
    }

    @Test
    void aBuildThatDoesNotFinishInTimeFails(@TempDir Path context) throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
        EndlessStream stream = new EndlessStream("{\"stream\":\"Step 1/1 : FROM scratch\\n\"}\n");

        EngineException e = assertThrows(EngineException.class,
                () -> engine(stream).buildImage(context, "dlb/x:1", Map.of(), output::add));

        assertTrue(e.getMessage().startsWith("Docker did not finish building dlb/x:1 within 3 s at tcp://127.0.0.1:9"), e::getMessage);
        assertEquals(List.of("Step 1/1 : FROM scratch"), output);
        assertTrue(stream.closed.await(10, TimeUnit.SECONDS), "the stream is let go");
    }

    private static DockerJavaEngine engine(EndlessStream stream) {
        DockerHttpClient transport = new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                return stream.response();
            }

            @Override
            public void close() {
            }
        };
        return DockerJavaEngine.over(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("tcp://127.0.0.1:9").build(),
                transport, transport, transport, SHORT_BUILDS, "tcp://127.0.0.1:9 (test)");
    }

    /** A 200 answer whose body says its first line and then nothing, until it is closed. */
    private static final class EndlessStream extends InputStream {

        final CountDownLatch closed = new CountDownLatch(1);
        private final byte[] first;
        private int read;

        EndlessStream(String firstLine) {
            this.first = firstLine.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        /** The first line as soon as asked, then a wait that only closing ends. */
        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (read < first.length) {
                int n = Math.min(length, first.length - read);
                System.arraycopy(first, read, buffer, offset, n);
                read += n;
                return n;
            }
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public void close() {
            closed.countDown();
        }

        DockerHttpClient.Response response() {
            return new DockerHttpClient.Response() {
                @Override
                public int getStatusCode() {
                    return 200;
                }

                @Override
                public Map<String, List<String>> getHeaders() {
                    return Map.of("Content-Type", List.of("application/json"));
                }

                @Override
                public InputStream getBody() {
                    return EndlessStream.this;
                }

                @Override
                public void close() {
                    EndlessStream.this.close();
                }
            };
        }
    }
}
