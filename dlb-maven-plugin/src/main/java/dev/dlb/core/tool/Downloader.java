package dev.dlb.core.tool;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** Fetches one URI into a file; the seam that lets tests run the cache without a network. */
@FunctionalInterface
public interface Downloader {

    void download(URI uri, Path target) throws IOException;
}
