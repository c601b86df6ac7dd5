package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdTest {

    @TempDir
    Path tmp;

    @Test
    void theSameFileUnderAnotherPathIsTheSameFile() throws IOException {
        Path file = Files.createFile(tmp.resolve("session.lock"));
        Path link = Files.createLink(tmp.resolve("elsewhere.lock"), file);

        FileId seen = FileId.of(file).orElseThrow();
        FileId seenElsewhere = FileId.of(link).orElseThrow();

        assertTrue(seen.sameFile(seenElsewhere));
        assertEquals(file.toAbsolutePath(), seen.path());
    }

    @Test
    void aNewFileAtTheSamePathIsAnotherFile() throws IOException {
        Path file = Files.createFile(tmp.resolve("session.lock"));
        FileId before = FileId.of(file).orElseThrow();
        Files.move(file, tmp.resolve("moved-away")); // still there, so its inode cannot be handed out again
        Files.createFile(file);

        assertFalse(before.sameFile(FileId.of(file).orElseThrow()));
    }

    @Test
    void noFileNoId() {
        assertEquals(Optional.empty(), FileId.of(tmp.resolve("missing")));
    }

    @Test
    void labelParsesBackWithColonsInThePath() {
        FileId id = new FileId(2049, 77, Path.of("/builds/a:b/target"));

        assertEquals(Optional.of(id), FileId.parse(id.label()));
        assertEquals(Optional.empty(), FileId.parse("2049:/x"));
        assertEquals(Optional.empty(), FileId.parse("dev:77:/x"));
        assertEquals(Optional.empty(), FileId.parse(null));
    }
}
