package dev.dlb.core.tool;

import dev.dlb.core.spec.ConfdSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Finds the confd binary: the configured local file, or the pinned release from the local Maven
 * repository, downloading it once when missing. Every use of a cached copy re-verifies its SHA-256.
 */
public final class ConfdResolver {

    private final Path localRepository;
    private final boolean offline;
    private final Downloader downloader;
    private final Consumer<String> log;

    public ConfdResolver(Path localRepository, boolean offline, Downloader downloader, Consumer<String> log) {
        this.localRepository = localRepository;
        this.offline = offline;
        this.downloader = downloader;
        this.log = log;
    }

    public Path resolve(ConfdSpec spec) throws ToolException {
        if (spec.binary().isPresent()) {
            return spec.binary().get();
        }
        Path cached = cachePath(spec.version());
        if (Files.isRegularFile(cached)) {
            String actual = sha256(cached);
            if (actual.equals(spec.sha256())) {
                return cached;
            }
            log.accept("Cached confd " + cached + " has SHA-256 " + actual + ", expected " + spec.sha256() + "; discarding it");
            delete(cached);
        }
        if (offline) {
            throw new ToolException("confd " + spec.version() + " (<confd><version>) is not in the local repository (" + cached
                    + ") and Maven is offline. Fix: run once without -o, or set <confd><binary> to a local confd executable");
        }
        return download(spec, cached);
    }

    /** Where the pinned release lives in the local Maven repository. */
    public Path cachePath(String version) {
        return localRepository.resolve("dev/dlb/confd/" + version + "/confd-" + version + "-linux-amd64");
    }

    private Path download(ConfdSpec spec, Path cached) throws ToolException {
        URI uri = URI.create(spec.downloadUrl().replace("{version}", spec.version()));
        log.accept("Downloading confd " + spec.version() + " from " + uri);
        try {
            Files.createDirectories(cached.getParent());
            Path partial = Files.createTempFile(cached.getParent(), "confd-", ".part");
            try {
                downloader.download(uri, partial);
                String actual = sha256(partial);
                if (!actual.equals(spec.sha256())) {
                    throw new ToolException("confd downloaded from " + uri + " has SHA-256 " + actual + " but <confd><sha256> is "
                            + spec.sha256() + ". Fix: check the pinned checksum against a source you trust; nothing was cached");
                }
                if (!partial.toFile().setExecutable(true, false)) {
                    throw new IOException("cannot make " + partial + " executable");
                }
                move(partial, cached);
            } finally {
                Files.deleteIfExists(partial);
            }
            return cached;
        } catch (IOException e) {
            throw new ToolException("cannot download confd from " + uri + ": " + e.getMessage()
                    + ". Fix: set <confd><binary> to a local confd executable, or <confd><downloadUrl> to a reachable mirror", e);
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
            throw new ToolException("cannot delete the corrupt cached confd " + file + ": " + e.getMessage(), e);
        }
    }

    public static String sha256(Path file) {
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
