package dev.dlb.core.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the plugin's own templates, packaged next to this class. */
final class ClasspathText {

    private ClasspathText() {
    }

    static String read(String name) {
        try (InputStream in = ClasspathText.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing plugin resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
