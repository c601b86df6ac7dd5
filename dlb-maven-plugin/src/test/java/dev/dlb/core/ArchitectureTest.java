package dev.dlb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core knows nothing of Maven, and only the engine adapter knows docker-java. */
class ArchitectureTest {

    private static final Path CORE = Path.of("src/main/java/dev/dlb/core");

    @Test
    void coreDoesNotUseMaven() throws IOException {
        assertEquals(List.of(), filesUsing("org.apache.maven"));
    }

    @Test
    void onlyTheEngineAdapterUsesDockerJava() throws IOException {
        // EngineTls: the adapter's TLS, in a class of its own so that a plain engine never loads it; JsonWarmup: its readers and writers
        assertEquals(List.of("engine/DockerJavaEngine.java", "engine/EngineTls.java", "engine/JsonWarmup.java"), filesUsing("com.github.dockerjava"));
    }

    /** Files that import the package or name a class of it in full, relative to the core. */
    private static List<String> filesUsing(String pkg) throws IOException {
        assertTrue(Files.isDirectory(CORE), "run from the module directory: " + CORE.toAbsolutePath());
        Pattern use = Pattern.compile("\\b" + Pattern.quote(pkg) + "\\.");
        try (Stream<Path> walk = Files.walk(CORE)) {
            List<Path> sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertTrue(sources.size() > 30, "found the core's sources: " + sources.size());
            return sources.stream().filter(p -> use.matcher(read(p)).find()).map(p -> CORE.relativize(p).toString()).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
