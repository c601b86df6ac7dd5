package dev.dlb.core.spec;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the confd binary comes from: a local file, or the pinned version of its Go module built for the
 * engine's architecture in a container and cached in the local Maven repository.
 *
 * @param version a version of github.com/abtreece/confd without the leading v, such as 0.30.0
 * @param builderImage the Go image the build runs in
 */
public record ConfdSpec(Optional<Path> binary, String version, String builderImage) {
}
