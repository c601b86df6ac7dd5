package dev.dlb.core.render;

import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.testing.SpecBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StackRendererTest {

    /** The specs whose output is pinned under src/test/resources/golden/<name>/. */
    static final Map<String, SpecBuilder> GOLDEN = Map.of(
            "three-replicas", spec().replicas(3).env("GREETING", "hello")
                    .replicaEnv(2, "GREETING", "bonjour").replicaEnv(2, "COLOR", "blue"),
            "fixed-port-ip-hash", spec().replicas(2).port(8080).strategy("ip-hash").bindAddress("0.0.0.0")
                    .webBase("dlb-standin-httpd:2.4-bookworm").balancerBase("dlb-standin-nginx:1.22-bookworm"));

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "three-replicas, web/Dockerfile", "three-replicas, balancer/Dockerfile", "three-replicas, docker-compose.yml",
        "fixed-port-ip-hash, web/Dockerfile", "fixed-port-ip-hash, balancer/Dockerfile", "fixed-port-ip-hash, docker-compose.yml",
        "three-replicas, docker-stack.yml", "fixed-port-ip-hash, docker-stack.yml",
    })
    void matchesGoldenFile(String specName, String path) throws IOException {
        RenderedFile file = byPath(render(GOLDEN.get(specName).stack())).get(path);

        assertNotNull(file, path + " rendered");
        String actual = new String(file.bytes().orElseThrow(), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("golden.update")) {
            // after an intended change: -Dgolden.update=true rewrites the golden files; review their diff before committing
            Files.writeString(Path.of("src/test/resources/golden", specName, path), actual);
        }
        assertEquals(golden(specName + "/" + path), actual);
    }

    @Test
    void sameSpecRendersTheSameFilesInTheSameOrder() {
        StackSpec stack = GOLDEN.get("three-replicas").stack();

        assertEquals(describe(render(stack)), describe(render(stack)));
    }

    @Test
    void userConfdFilesOverrideDefaultsOfTheSameName() throws IOException {
        Path confd = SpecBuilder.files(tmp.resolve("confd"), Map.of(
                "conf.d/dlb-index.toml", "[template]\nsrc = \"mine.tmpl\"\n",
                "templates/mine.tmpl", "mine {{getenv \"COLOR\"}}\n"));
        Path out = write(spec().confdDirectory(confd));

        assertAll(
                () -> assertEquals("[template]\nsrc = \"mine.tmpl\"\n", read(out, "web/confd-etc/conf.d/dlb-index.toml")),
                () -> assertEquals("mine {{getenv \"COLOR\"}}\n", read(out, "web/confd-etc/templates/mine.tmpl")),
                () -> assertTrue(read(out, "web/confd-etc/conf.d/dlb-httpd.toml").contains("dlb-httpd.conf.tmpl"), "defaults kept"),
                () -> assertTrue(Files.isRegularFile(out.resolve("web/confd-etc/templates/dlb-index.html.tmpl"))));
    }

    @Test
    void userContentIsCopiedUnderWebContent() throws IOException {
        Path content = SpecBuilder.files(tmp.resolve("site"), Map.of("index.html", "<h1>shop</h1>", "css/site.css", "h1{}"));
        Path out = write(spec().content(content));

        assertAll(
                () -> assertEquals("<h1>shop</h1>", read(out, "web/content/index.html")),
                () -> assertEquals("h1{}", read(out, "web/content/css/site.css")),
                () -> assertFalse(Files.exists(out.resolve("web/content/.dlb-keep"))));
    }

    @Test
    void withoutContentAKeepFileHoldsTheDirectory() throws IOException {
        Path out = write(spec());

        assertEquals("", read(out, "web/content/.dlb-keep"));
        try (var files = Files.list(out.resolve("web/content"))) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void scriptsAndConfdAreExecutableAndNothingElse() throws IOException {
        Path out = write(spec());
        List<String> executables = List.of("web/confd", "web/dlb-confd.sh", "web/dlb-healthcheck.sh", "web/dlb-entrypoint.sh",
                "balancer/confd", "balancer/dlb-confd.sh", "balancer/dlb-healthcheck.sh", "balancer/dlb-entrypoint.sh",
                "balancer/dlb-watch.sh");

        assertEquals(executables.stream().sorted().toList(), render(spec().stack()).stream()
                .filter(RenderedFile::executable).map(RenderedFile::path).sorted().toList());
        assertAll(executables.stream().map(p -> () -> assertTrue(out.resolve(p).toFile().canExecute(), p)));
        assertFalse(out.resolve("web/Dockerfile").toFile().canExecute());
    }

    private List<RenderedFile> render(StackSpec stack) {
        return new StackRenderer().render(stack, confdBinary());
    }

    private Path write(SpecBuilder b) throws IOException {
        Path out = tmp.resolve("out");
        new OutputTree(out).write(render(b.stack()));
        return out;
    }

    private Path confdBinary() {
        return SpecBuilder.files(tmp.resolve("bin"), Map.of("confd", "not really confd")).resolve("confd");
    }

    private static Map<String, RenderedFile> byPath(List<RenderedFile> files) {
        return files.stream().collect(Collectors.toMap(RenderedFile::path, Function.identity()));
    }

    private static List<String> describe(List<RenderedFile> files) {
        return files.stream().map(f -> f.path() + " " + f.executable() + " " + f.source().map(Path::toString)
                .orElseGet(() -> new String(f.bytes().orElseThrow(), StandardCharsets.UTF_8))).toList();
    }

    private static String read(Path root, String path) throws IOException {
        return Files.readString(root.resolve(path));
    }

    static String golden(String path) throws IOException {
        try (InputStream in = StackRendererTest.class.getResourceAsStream("/golden/" + path)) {
            assertNotNull(in, "golden file " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
