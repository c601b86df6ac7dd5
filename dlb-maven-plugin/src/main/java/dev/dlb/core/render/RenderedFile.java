package dev.dlb.core.render;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One file of the rendered output, relative to target/dlb: generated text, or a copy of a source file
 * (the user's content, the confd binary) that is never loaded whole into memory.
 */
public record RenderedFile(String path, Optional<byte[]> bytes, Optional<Path> source, boolean executable) {

    public static RenderedFile text(String path, String content, boolean executable) {
        return new RenderedFile(path, Optional.of(content.getBytes(StandardCharsets.UTF_8)), Optional.empty(), executable);
    }

    public static RenderedFile copy(String path, Path source, boolean executable) {
        return new RenderedFile(path, Optional.empty(), Optional.of(source), executable);
    }
}
