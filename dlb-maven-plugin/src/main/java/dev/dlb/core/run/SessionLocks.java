package dev.dlb.core.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks that tell processes in other pid namespaces (a CI agent in a container, say) whether the owner
 * of a session still runs: the owner's JVM holds an exclusive lock on a file of its own for as long as it
 * lives, and the kernel drops it when the JVM ends, however it ends. A prober that sees the same file
 * (device and inode) and can take a shared lock on it knows the owner is gone.
 */
public final class SessionLocks implements LockProbe {

    /** Open for the JVM's life: a channel that is closed, or collected, releases its lock. */
    private static final Map<Path, FileChannel> HELD = new ConcurrentHashMap<>();

    /** Creates {@code file} and holds an exclusive lock on it until {@link #release} or the end of this JVM. */
    public static FileId hold(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        if (HELD.containsKey(absolute)) {
            throw new IOException("this JVM holds " + absolute + " already: one lock file per session");
        }
        FileChannel channel = FileChannel.open(absolute, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                throw new IOException("another process holds a lock on " + absolute);
            }
            HELD.put(absolute, channel);
            return FileId.of(absolute).orElseThrow(() -> new IOException("the file system cannot name " + absolute + " by device and inode"));
        } catch (IOException | RuntimeException e) {
            HELD.remove(absolute, channel);
            channel.close();
            throw e;
        }
    }

    /** Releases the lock and deletes the file; nothing to do for a file this JVM does not hold. */
    public static void release(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        FileChannel channel = HELD.remove(absolute);
        if (channel != null) {
            channel.close();
        }
        Files.deleteIfExists(absolute);
    }

    @Override
    public Reading probe(FileId lock) {
        if (heldHere(lock)) {
            return new Reading(State.HELD, "held by this JVM");
        }
        Optional<FileId> seen = FileId.of(lock.path());
        if (seen.isEmpty()) {
            return new Reading(State.UNREACHABLE, "there is no " + lock.path() + " here (another mount namespace or machine, "
                    + "or deleted, as by mvn clean)");
        }
        if (!seen.get().sameFile(lock)) {
            return new Reading(State.UNREACHABLE, lock.path() + " here is another file (device:inode " + seen.get().device() + ":"
                    + seen.get().inode() + ", the owner's " + lock.device() + ":" + lock.inode() + ")");
        }
        return tryShared(lock);
    }

    /**
     * Never opens a file this JVM holds: closing any descriptor of a file drops every POSIX lock the process
     * has on it, the owner's included.
     */
    private static boolean heldHere(FileId lock) {
        return HELD.keySet().stream().flatMap(p -> FileId.of(p).stream()).anyMatch(lock::sameFile);
    }

    private static Reading tryShared(FileId lock) {
        try (FileChannel channel = FileChannel.open(lock.path(), StandardOpenOption.READ)) {
            FileLock taken = channel.tryLock(0, Long.MAX_VALUE, true);
            if (taken == null) {
                return new Reading(State.HELD, "held by another process");
            }
            taken.release();
            return new Reading(State.FREE, "no process holds it");
        } catch (OverlappingFileLockException e) {
            return new Reading(State.HELD, "held by this JVM");
        } catch (IOException e) {
            return new Reading(State.UNREACHABLE, "cannot lock " + lock.path() + ": " + e.getMessage());
        }
    }
}
