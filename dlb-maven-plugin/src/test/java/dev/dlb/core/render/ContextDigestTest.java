package dev.dlb.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.testing.SpecBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextDigestTest {

    private static final String BASE = "sha256:1111";

    @TempDir
    Path context;
    private String before;

    @BeforeEach
    void setUp() {
        SpecBuilder.files(context, Map.of("Dockerfile", "FROM httpd\n", "dlb-entrypoint.sh", "#!/bin/sh\n",
                "content/index.html", "<h1>one</h1>"));
        assertTrue(context.resolve("dlb-entrypoint.sh").toFile().setExecutable(true, false));
        before = ContextDigest.of(context, BASE);
    }

    @Test
    void isStableAcrossCalls() {
        assertEquals(before, ContextDigest.of(context, BASE));
        assertTrue(before.matches("[0-9a-f]{64}"), before);
    }

    @Test
    void changesWhenOneByteChanges() throws IOException {
        Files.writeString(context.resolve("content/index.html"), "<h1>two</h1>");

        assertNotEquals(before, ContextDigest.of(context, BASE));
    }

    @Test
    void changesWhenTheExecutableBitChanges() {
        assertTrue(context.resolve("dlb-entrypoint.sh").toFile().setExecutable(false, false));

        assertNotEquals(before, ContextDigest.of(context, BASE));
    }

    @Test
    void changesWhenAFileMoves() throws IOException {
        Files.move(context.resolve("content/index.html"), context.resolve("content/home.html"));

        assertNotEquals(before, ContextDigest.of(context, BASE));
    }

    @Test
    void changesWhenTheBaseImageIdChanges() {
        assertNotEquals(before, ContextDigest.of(context, "sha256:2222"));
    }
}
