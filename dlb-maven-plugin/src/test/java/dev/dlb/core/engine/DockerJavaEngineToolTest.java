package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a tool container needs of docker-java, over a fake transport that answers as the engine's API does. */
class DockerJavaEngineToolTest {

    @TempDir
    Path dir;

    @Test
    void theArchitectureIsTheEnginesNotTheHosts() throws Exception {
        DockerJavaEngine engine = engine(path -> json("{\"Version\":\"20.10.24\",\"Arch\":\"arm64\",\"Os\":\"linux\"}"));

        assertEquals("arm64", engine.architecture());
    }

    @Test
    void outputSplitAcrossFramesComesOutAsWholeLinesAndTheExitCodeIsTheContainers() throws Exception {
        byte[] frames = concat(frame(1, "go: downloading a\ngo: down"), frame(2, "loading b\n"), frame(1, "built"));
        DockerJavaEngine engine = engine(path -> path.contains("/logs") ? stream(frames) : json("{\"StatusCode\":3}"));
        List<String> lines = new ArrayList<>();

        long exit = engine.awaitExit("ctr", lines::add);

        assertEquals(List.of("go: downloading a", "go: downloading b", "built"), lines);
        assertEquals(3, exit);
    }

    @Test
    void aFileIsCopiedOutOfTheArchiveTheEngineSends() throws Exception {
        byte[] binary = "\u007fELF confd".getBytes(StandardCharsets.UTF_8);
        byte[] archive = tar("confd", binary);
        DockerJavaEngine engine = engine(path -> stream(archive));
        Path target = dir.resolve("confd");

        engine.copyFile("ctr", "/tmp/dlb-confd/confd", target);

        assertArrayEquals(binary, Files.readAllBytes(target));
    }

    @Test
    void aDirectoryIsNotCopiedAsAFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.putArchiveEntry(new TarArchiveEntry("confd/"));
            tar.closeArchiveEntry();
        }
        DockerJavaEngine engine = engine(path -> stream(out.toByteArray()));

        EngineException e = assertThrows(EngineException.class, () -> engine.copyFile("ctr", "/tmp/dlb-confd/confd", dir.resolve("x")));

        assertEquals("/tmp/dlb-confd/confd in container ctr is not a regular file", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x")));
    }

    private static DockerJavaEngine engine(Function<String, DockerHttpClient.Response> answers) {
        DockerHttpClient transport = new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                return answers.apply(request.path());
            }

            @Override
            public void close() {
            }
        };
        return DockerJavaEngine.over(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("tcp://127.0.0.1:9").build(),
                transport, transport, transport, EngineTimeouts.DEFAULT, "tcp://127.0.0.1:9 (test)");
    }

    /** One frame of the engine's multiplexed stream: stream 1 (stdout) or 2 (stderr), the length, the bytes. */
    private static byte[] frame(int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + payload.length).put((byte) stream).put(new byte[3]).putInt(payload.length).put(payload).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] tar(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static DockerHttpClient.Response json(String body) {
        return response("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static DockerHttpClient.Response stream(byte[] body) {
        return response("application/vnd.docker.raw-stream", body);
    }

    private static DockerHttpClient.Response response(String type, byte[] body) {
        InputStream in = new ByteArrayInputStream(body);
        return new DockerHttpClient.Response() {
            @Override
            public int getStatusCode() {
                return 200;
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                return Map.of("Content-Type", List.of(type));
            }

            @Override
            public InputStream getBody() {
                return in;
            }

            @Override
            public void close() {
            }
        };
    }
}
