package dev.dlb.core.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over a build context: every file's relative path, executable bit and bytes, in sorted
 * order, plus the base image's id. Equal digests mean a rebuild would produce the same image.
 */
public final class ContextDigest {

    private ContextDigest() {
    }

    public static String of(Path contextDir, String baseImageId) {
        MessageDigest sha = sha256();
        sha.update(("base:" + baseImageId + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[64 * 1024];
        for (String rel : StackRenderer.tree(contextDir)) {
            Path file = contextDir.resolve(rel);
            sha.update((rel + (file.toFile().canExecute() ? " x" : " -") + "\n").getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
