package dev.dlb.core.spec;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the confd binary comes from: a local file, or a pinned release downloaded once and cached.
 *
 * @param downloadUrl where the release binary is fetched from; {@code {version}} is replaced
 * @param sha256 the expected SHA-256 of the release binary, pinned by the plugin or the POM
 */
public record ConfdSpec(Optional<Path> binary, String version, String sha256, String downloadUrl) {
}
