package dev.dlb.core.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * confd binaries in the local Maven repository, one per version and platform
 * ({@code dev/dlb/confd/VERSION/confd-VERSION-linux-ARCH}), each beside a {@code .sha256} of its bytes written
 * once it was verified; every hit checks the bytes against it again.
 */
final class ConfdCache {

    /** Writes a binary to the file it is given, or fails. */
    @FunctionalInterface
    interface Producer {
        void writeTo(Path file) throws ToolException;
    }

    private final Path localRepository;
    private final Consumer<String> log;

    ConfdCache(Path localRepository, Consumer<String> log) {
        this.localRepository = localRepository;
        this.log = log;
    }

    Path path(String version, String arch) {
        return localRepository.resolve("dev/dlb/confd/" + version + "/confd-" + version + "-linux-" + arch);
    }

    /** The cached binary if its bytes still have the SHA-256 recorded when it was stored; a copy that does not is discarded. */
    Optional<Path> verified(String version, String arch) throws ToolException {
        Path binary = path(version, arch);
        Path recorded = checksumOf(binary);
        if (!Files.isRegularFile(binary) || !Files.isRegularFile(recorded)) {
            return Optional.empty();
        }
        String expected = read(recorded).split("\\s+", 2)[0];
        String actual = sha256(binary);
        if (actual.equals(expected)) {
            return Optional.of(binary);
        }
        log.accept("Cached confd " + binary + " has SHA-256 " + actual + ", but " + expected + " was recorded when it was stored; discarding it");
        delete(binary);
        delete(recorded);
        return Optional.empty();
    }

    /** Lets {@code producer} write the binary beside its place, then moves it and its checksum in; nothing partial is left. */
    Path store(String version, String arch, Producer producer) throws ToolException {
        Path binary = path(version, arch);
        Path partial = null;
        Path partialSum = null;
        try {
            Files.createDirectories(binary.getParent());
            partial = Files.createTempFile(binary.getParent(), "confd-", ".part");
            partialSum = Files.createTempFile(binary.getParent(), "confd-", ".sha256.part");
            producer.writeTo(partial);
            if (!partial.toFile().setExecutable(true, false)) {
                throw new IOException("cannot make " + partial + " executable");
            }
            Files.writeString(partialSum, sha256(partial) + "  " + binary.getFileName() + "\n");
            move(partial, binary);
            move(partialSum, checksumOf(binary));
            return binary;
        } catch (IOException e) {
            throw new ToolException("cannot store confd in the local repository at " + binary + ": " + e.getMessage()
                    + ". Fix: check that the local repository is writable, or set <confd><binary>", e);
        } finally {
            deleteQuietly(partial);
            deleteQuietly(partialSum);
        }
    }

    private static Path checksumOf(Path binary) {
        return binary.resolveSibling(binary.getFileName() + ".sha256");
    }

    private static String read(Path file) throws ToolException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ToolException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void delete(Path file) throws ToolException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ToolException("cannot delete the corrupt cached confd " + file + ": " + e.getMessage()
                    + ". Fix: delete it by hand", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover .part file is never read as a cached binary
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
