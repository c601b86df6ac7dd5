package dev.dlb.core.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.spec.ConfdSpec;
import dev.dlb.core.testing.SpecBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfdResolverTest {

    private static final byte[] RELEASE = "the confd release".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path repo;
    private final FakeDownloader downloader = new FakeDownloader(RELEASE);
    private final List<String> log = new ArrayList<>();

    @Test
    void missDownloadsOnceIntoTheLocalRepository() throws Exception {
        Path confd = resolver(false).resolve(pinned(RELEASE));

        assertEquals(repo.resolve("dev/dlb/confd/0.30.0/confd-0.30.0-linux-amd64"), confd);
        assertArrayEquals(RELEASE, Files.readAllBytes(confd));
        assertTrue(confd.toFile().canExecute());
        assertEquals(List.of(URI.create("https://confd.example.invalid/v0.30.0/confd-0.30.0-linux-amd64")), downloader.uris);
        assertEquals(List.of(confd), cachedFiles(), "no partial download left behind");
    }

    @Test
    void hitDoesNotDownloadAgain() throws Exception {
        Path first = resolver(false).resolve(pinned(RELEASE));
        Path second = resolver(false).resolve(pinned(RELEASE));

        assertEquals(first, second);
        assertEquals(1, downloader.uris.size());
    }

    @Test
    void cachedCopyWithAnotherChecksumIsDiscardedAndDownloadedAgain() throws Exception {
        Path cached = resolver(false).resolve(pinned(RELEASE));
        Files.writeString(cached, "tampered");

        Path again = resolver(false).resolve(pinned(RELEASE));

        assertEquals(2, downloader.uris.size());
        assertArrayEquals(RELEASE, Files.readAllBytes(again));
        assertTrue(log.stream().anyMatch(l -> l.contains("discarding")), log::toString);
    }

    @Test
    void downloadWithTheWrongChecksumFailsAndCachesNothing() throws IOException {
        byte[] other = "something else".getBytes(StandardCharsets.UTF_8);

        ToolException e = assertThrows(ToolException.class, () -> resolver(false).resolve(pinned(other)));

        assertTrue(e.getMessage().contains("<confd><sha256>"), e::getMessage);
        assertTrue(e.getMessage().contains(sha256(RELEASE)), "names the actual checksum: " + e.getMessage());
        assertTrue(e.getMessage().contains("<confd><sha256> is " + sha256(other)), "names the pinned value: " + e.getMessage());
        assertTrue(e.getMessage().contains("Fix: check the pinned checksum against a source you trust"), e::getMessage);
        assertEquals(List.of(), cachedFiles());
    }

    @Test
    void offlineWithAnEmptyCacheFailsWithoutDownloadingAndNamesTheFix() throws IOException {
        ToolException e = assertThrows(ToolException.class, () -> resolver(true).resolve(pinned(RELEASE)));

        assertEquals(List.of(), downloader.uris);
        assertTrue(e.getMessage().contains("offline"), e::getMessage);
        assertTrue(e.getMessage().contains("Fix: run once without -o, or set <confd><binary>"), e::getMessage);
        assertTrue(e.getMessage().contains("confd 0.30.0 (<confd><version>) is not in the local repository ("
                        + resolver(true).cachePath("0.30.0") + ")"),
                "names the version and where it looked: " + e.getMessage());
        assertEquals(List.of(), cachedFiles());
    }

    @Test
    void offlineWithAValidCacheUsesIt() throws Exception {
        Path cached = resolver(false).resolve(pinned(RELEASE));

        assertEquals(cached, resolver(true).resolve(pinned(RELEASE)));
        assertEquals(1, downloader.uris.size());
    }

    @Test
    void offlineWithACorruptCacheFailsWithoutDownloading() throws Exception {
        Files.writeString(resolver(false).resolve(pinned(RELEASE)), "tampered");

        assertThrows(ToolException.class, () -> resolver(true).resolve(pinned(RELEASE)));
        assertEquals(1, downloader.uris.size());
    }

    @Test
    void localBinaryIsReturnedAsIs() throws Exception {
        Path binary = Files.writeString(repo.resolve("my-confd"), "local");
        ConfdSpec spec = SpecBuilder.spec().confdBinary(binary).confd();

        assertEquals(binary, resolver(true).resolve(spec));
        assertEquals(binary, resolver(false).resolve(spec));
        assertEquals(List.of(), downloader.uris);
    }

    private ConfdResolver resolver(boolean offline) {
        return new ConfdResolver(repo, offline, downloader, log::add);
    }

    private static ConfdSpec pinned(byte[] release) {
        return SpecBuilder.spec().confdSha256(sha256(release)).confd();
    }

    private List<Path> cachedFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(repo)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the given bytes for any URI and remembers every URI asked for. */
    private static final class FakeDownloader implements Downloader {

        private final byte[] bytes;
        final List<URI> uris = new ArrayList<>();

        FakeDownloader(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void download(URI uri, Path target) throws IOException {
            uris.add(uri);
            Files.write(target, bytes);
        }
    }
}
