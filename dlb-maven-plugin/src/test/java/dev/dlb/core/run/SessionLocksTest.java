package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.run.LockProbe.Reading;
import dev.dlb.core.run.LockProbe.State;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock an owner holds, probed as a process in another pid namespace would: by the very file, never by pid. */
class SessionLocksTest {

    private final SessionLocks probe = new SessionLocks();

    @TempDir
    Path tmp;

    @Test
    void aLockThisJvmHoldsIsHeldAndProbingLeavesItHeld() throws IOException {
        Path file = tmp.resolve("session-a.lock");
        FileId lock = SessionLocks.hold(file);
        try {
            assertEquals(State.HELD, probe.probe(lock).state());
            assertEquals(State.HELD, probe.probe(lock).state(), "probing twice must not have dropped the lock");
        } finally {
            SessionLocks.release(file);
        }
        assertFalse(Files.exists(file), "release deletes the file");
    }

    /** The proof the reaper relies on: held while the other JVM runs, free once it is killed, however. */
    @Test
    void aLockOfAnotherProcessIsHeldWhileItRunsAndFreeOnceItIsKilled() throws Exception {
        Path file = tmp.resolve("session-b.lock");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = holder.inputReader()) {
            assertEquals("HELD", out.readLine(), "the other JVM took the lock");
            FileId lock = FileId.of(file).orElseThrow();

            Reading whileItRuns = probe.probe(lock);
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the other JVM ended");
            Reading afterwards = probe.probe(lock);

            assertEquals(new Reading(State.HELD, "held by another process"), whileItRuns);
            assertEquals(State.FREE, afterwards.state(), afterwards::toString);
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aFileNobodyLocksIsFree() throws IOException {
        Path file = Files.createFile(tmp.resolve("session-c.lock"));

        assertEquals(State.FREE, probe.probe(FileId.of(file).orElseThrow()).state());
    }

    @Test
    void aMissingFileIsOutOfReach() throws IOException {
        Path file = Files.createFile(tmp.resolve("session-d.lock"));
        FileId lock = FileId.of(file).orElseThrow();
        Files.delete(file);

        Reading reading = probe.probe(lock);

        assertEquals(State.UNREACHABLE, reading.state());
        assertTrue(reading.detail().contains("there is no " + file), reading::toString);
    }

    /** Another mount namespace may have its own file at that path: only the very same file proves anything. */
    @Test
    void anotherFileAtThePathIsOutOfReach() throws IOException {
        Path file = Files.createFile(tmp.resolve("session-e.lock"));
        FileId lock = FileId.of(file).orElseThrow();
        Files.move(file, tmp.resolve("moved-away"));
        Files.createFile(file);

        Reading reading = probe.probe(lock);

        assertEquals(State.UNREACHABLE, reading.state());
        assertTrue(reading.detail().contains("is another file"), reading::toString);
    }
}
