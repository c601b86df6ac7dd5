package dev.dlb.core.render;

import static dev.dlb.core.render.RenderedFile.copy;
import static dev.dlb.core.render.RenderedFile.text;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTreeTest {

    /** Set on every file after the first write, so that any rewrite shows whatever the file system's time resolution. */
    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path tmp;
    private Path root;
    private Path binary;
    private OutputTree tree;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("dlb");
        binary = Files.writeString(tmp.resolve("confd-binary"), "binary bytes");
        tree = new OutputTree(root);
    }

    @Test
    void firstWriteWritesEveryFile() throws IOException {
        assertEquals(5, tree.write(files("<h1>one</h1>")));
        assertEquals("<h1>one</h1>", Files.readString(root.resolve("web/content/index.html")));
        assertEquals("binary bytes", Files.readString(root.resolve("web/confd")));
    }

    @Test
    void secondWriteOfTheSameFilesWritesNothingAndKeepsTimestamps() throws IOException {
        tree.write(files("<h1>one</h1>"));
        ageEveryFile();

        assertEquals(0, tree.write(files("<h1>one</h1>")));
        assertAll(regularFiles().map(f -> () -> assertEquals(LONG_AGO, Files.getLastModifiedTime(f), f.toString())));
    }

    @Test
    void changedFileIsRewrittenAndOnlyIt() throws IOException {
        tree.write(files("<h1>one</h1>"));
        ageEveryFile();

        assertEquals(1, tree.write(files("<h1>two</h1>")));
        Path index = root.resolve("web/content/index.html");
        assertEquals("<h1>two</h1>", Files.readString(index));
        assertAll(regularFiles().filter(f -> !f.equals(index))
                .map(f -> () -> assertEquals(LONG_AGO, Files.getLastModifiedTime(f), f.toString())));
    }

    @Test
    void fileEditedByHandIsRestored() throws IOException {
        tree.write(files("<h1>one</h1>"));
        Files.writeString(root.resolve("web/content/index.html"), "<h1>six</h1>");
        Files.writeString(root.resolve("web/confd"), "binary BYTES");

        assertEquals(2, tree.write(files("<h1>one</h1>")));
        assertEquals("<h1>one</h1>", Files.readString(root.resolve("web/content/index.html")));
        assertEquals("binary bytes", Files.readString(root.resolve("web/confd")));
    }

    @Test
    void lostExecutableBitIsRestored() throws IOException {
        tree.write(files("<h1>one</h1>"));
        Path entrypoint = root.resolve("web/dlb-entrypoint.sh");
        assertTrue(entrypoint.toFile().setExecutable(false, false));

        assertEquals(1, tree.write(files("<h1>one</h1>")));
        assertTrue(entrypoint.toFile().canExecute());
        assertFalse(root.resolve("web/Dockerfile").toFile().canExecute());
    }

    @Test
    void filesNoLongerRenderedArePrunedFromOwnedDirectoriesOnly() throws IOException {
        List<RenderedFile> before = new ArrayList<>(files("<h1>one</h1>"));
        before.add(text("web/content/old/page.html", "old", false));
        tree.write(before);
        Files.writeString(root.resolve("session.properties"), "session=abc\n");
        Files.createDirectories(root.resolve("notes"));
        Files.writeString(root.resolve("notes/todo.txt"), "mine");

        tree.write(files("<h1>one</h1>"));

        assertEquals(List.of("docker-compose.yml", "notes/todo.txt", "session.properties", "web/Dockerfile", "web/confd",
                "web/content/index.html", "web/dlb-entrypoint.sh"),
                regularFiles().map(f -> root.relativize(f).toString()).sorted().toList());
        assertFalse(Files.exists(root.resolve("web/content/old")), "emptied directory removed");
        assertEquals("session=abc\n", Files.readString(root.resolve("session.properties")));
    }

    private List<RenderedFile> files(String index) {
        return List.of(
                text("web/Dockerfile", "FROM httpd\n", false),
                text("web/dlb-entrypoint.sh", "#!/bin/sh\n", true),
                copy("web/confd", binary, true),
                text("web/content/index.html", index, false),
                text("docker-compose.yml", "services: {}\n", false));
    }

    private void ageEveryFile() throws IOException {
        for (Path f : regularFiles().toList()) {
            Files.setLastModifiedTime(f, LONG_AGO);
        }
    }

    private Stream<Path> regularFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList().stream();
        }
    }
}
