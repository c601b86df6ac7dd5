package dev.dlb.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the images send the health checks' requests (common/dlb-http.sh, the shipped file): with curl, GNU
 * wget, BusyBox's wget or bash's /dev/tcp, each the only such tool on the PATH, for real against a server
 * on 127.0.0.1, under dash and under BusyBox's shell. The status code comes from the answer's status line,
 * the Host header is the one asked for, and an answer that never comes ends within the bound.
 */
class HttpScriptTest {

    private static final String BUSYBOX = "busybox";

    @TempDir
    Path tmp;

    private final Queue<String> hosts = new ConcurrentLinkedQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer server;
    private Path library;

    /** A tool set: the tool the script must pick and what is linked into a directory that is the whole PATH. */
    record Tools(String tool, Map<String, String> links) {

        @Override
        public String toString() {
            return tool + " " + links.values().stream().distinct().toList();
        }
    }

    static Stream<Tools> toolSets() {
        return Stream.of(
                new Tools("curl", Map.of("curl", "curl")),
                new Tools("wget", Map.of("wget", "wget", "timeout", "timeout", "awk", "awk")),
                new Tools("wget", Map.of("wget", BUSYBOX, "timeout", BUSYBOX, "awk", BUSYBOX)),
                new Tools("bash", Map.of("bash", "bash", "timeout", "timeout")))
                .filter(t -> t.links().values().stream().allMatch(p -> program(p).isPresent()));
    }

    static Stream<Arguments> shellsAndToolSets() {
        return Stream.of("dash", BUSYBOX).filter(s -> program(s).isPresent())
                .flatMap(shell -> toolSets().map(tools -> Arguments.of(shell, tools)));
    }

    @BeforeEach
    void serve() throws IOException {
        library = tmp.resolve("dlb-http.sh");
        Files.writeString(library, ClasspathText.read("common/dlb-http.sh"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/dlb-health", exchange -> answer(exchange, 200));
        server.createContext("/down", exchange -> answer(exchange, 503));
        server.createContext("/hang", this::hang);
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("shellsAndToolSets")
    void theStatusLineIsJudgedAndTheHostHeaderSent(String shell, Tools tools) throws Exception {
        Path bin = bin(tools.links());

        assertEquals(tools.tool(), run(shell, bin, "dlb_http_tool").out());
        assertEquals("200", status(shell, bin, "/dlb-health", "2"));
        assertEquals("503", status(shell, bin, "/down", "2"));
        assertEquals(List.of("web-2", "web-2"), List.copyOf(hosts));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolSets")
    void anAnswerThatNeverComesEndsWithinTheBoundAndGivesNoStatus(Tools tools) throws Exception {
        String status = status("dash", bin(tools.links()), "/hang", "0.5");

        assertTrue(status.isEmpty() || status.equals("000"), status);
    }

    @Test
    void curlComesFirstThenWgetThenBash() throws Exception {
        assumeTrue(Stream.of("curl", "wget", "bash", "timeout").allMatch(p -> program(p).isPresent()));

        assertEquals("curl", run("dash", bin(Map.of("curl", "curl", "wget", "wget", "bash", "bash", "timeout", "timeout")),
                "dlb_http_tool").out());
        assertEquals("wget", run("dash", bin(Map.of("wget", "wget", "bash", "bash", "timeout", "timeout")), "dlb_http_tool").out());
    }

    @Test
    void withoutCurlAndWithoutTimeoutNoToolIsFitAndTheImageSaysSoAtStart() throws Exception {
        assumeTrue(Stream.of("wget", "bash").allMatch(p -> program(p).isPresent()));
        Path bin = bin(Map.of("wget", "wget", "bash", "bash"));

        Result result = run("dash", bin, "dlb_http_require && echo fit");

        assertEquals("", result.out());
        assertTrue(result.err().contains("has no curl, and neither wget nor bash with timeout")
                && result.err().contains("Fix: build it FROM an image that has one"), result.err());
    }

    private record Result(String out, String err) {
    }

    private String status(String shell, Path bin, String path, String seconds) throws Exception {
        String authority = "127.0.0.1:" + server.getAddress().getPort();
        return run(shell, bin, "dlb_http_status \"$(dlb_http_tool)\" " + authority + " web-2 " + path + " " + seconds).out();
    }

    /** Sources the library in {@code shell} with {@code bin} as the whole PATH, then runs {@code script}. */
    private Result run(String shell, Path bin, String script) throws Exception {
        List<String> command = new ArrayList<>(List.of(program(shell).orElseThrow().toString()));
        if (shell.equals(BUSYBOX)) {
            command.add("sh");
        }
        command.addAll(List.of("-c", ". " + library + "; " + script));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(tmp.resolve("stderr").toFile());
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the script did not finish");
        return new Result(out, Files.readString(tmp.resolve("stderr")));
    }

    /** A directory holding only these programs, each a link NAME to the host's program TARGET. */
    private Path bin(Map<String, String> links) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "bin");
        for (Map.Entry<String, String> link : links.entrySet()) {
            Files.createSymbolicLink(dir.resolve(link.getKey()), program(link.getValue()).orElseThrow());
        }
        return dir;
    }

    private static Optional<Path> program(String name) {
        return Stream.of("/usr/bin", "/bin").map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        hosts.add(exchange.getRequestHeaders().getFirst("Host"));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private void hang(HttpExchange exchange) {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }
}
