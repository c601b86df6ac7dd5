package dev.dlb.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file as the kernel knows it: device and inode name the same file under any path, bind mount or mount
 * namespace; the path is where it was seen, for people and to look it up again.
 */
public record FileId(long device, long inode, Path path) {

    /** The file at {@code path}; empty when there is none or the file system cannot tell device and inode (not Unix). */
    public static Optional<FileId> of(Path path) {
        try {
            Path absolute = path.toAbsolutePath().normalize();
            return Optional.of(new FileId(number(absolute, "unix:dev"), number(absolute, "unix:ino"), absolute));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether both name the same file, wherever each was seen. */
    public boolean sameFile(FileId other) {
        return device == other.device && inode == other.inode;
    }

    /** {@code DEVICE:INODE:PATH}, as in the labels. */
    public String label() {
        return device + ":" + inode + ":" + path;
    }

    public static Optional<FileId> parse(String label) {
        String[] parts = label == null ? new String[0] : label.split(":", 3);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FileId(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Path.of(parts[2])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long number(Path path, String attribute) throws IOException {
        return ((Number) Files.getAttribute(path, attribute)).longValue();
    }
}
