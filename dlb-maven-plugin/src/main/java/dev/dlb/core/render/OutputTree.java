package dev.dlb.core.render;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes rendered files under an output directory, touching only files whose content changed (so
 * unchanged output stays byte-identical, timestamps included) and removing files a previous render
 * left in the directories it owns.
 */
public final class OutputTree {

    private final Path root;

    public OutputTree(Path root) {
        this.root = root;
    }

    /** @return how many files were written (0 when nothing changed) */
    public int write(List<RenderedFile> files) throws IOException {
        int written = 0;
        for (RenderedFile file : files) {
            if (writeIfChanged(file)) {
                written++;
            }
        }
        prune(files);
        return written;
    }

    private boolean writeIfChanged(RenderedFile file) throws IOException {
        Path target = root.resolve(file.path());
        boolean same = Files.isRegularFile(target) && sameContent(file, target);
        if (!same) {
            Files.createDirectories(target.getParent());
            if (file.bytes().isPresent()) {
                Files.write(target, file.bytes().get());
            } else {
                Files.copy(file.source().orElseThrow(), target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        boolean modeChanged = target.toFile().canExecute() != file.executable();
        if (modeChanged && !target.toFile().setExecutable(file.executable(), false)) {
            throw new IOException("cannot set the executable bit of " + target);
        }
        return !same || modeChanged;
    }

    private static boolean sameContent(RenderedFile file, Path target) throws IOException {
        if (file.source().isPresent()) {
            return Files.mismatch(file.source().get(), target) == -1;
        }
        byte[] expected = file.bytes().orElseThrow();
        if (Files.size(target) != expected.length) {
            return false;
        }
        try (InputStream in = Files.newInputStream(target)) {
            return java.util.Arrays.equals(in.readAllBytes(), expected);
        }
    }

    private void prune(List<RenderedFile> files) throws IOException {
        Set<Path> keep = files.stream().map(f -> root.resolve(f.path())).collect(Collectors.toSet());
        Set<Path> owned = files.stream().map(f -> root.resolve(f.path().split("/")[0])).filter(Files::isDirectory)
                .collect(Collectors.toSet());
        for (Path dir : owned) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (Files.isRegularFile(p) && !keep.contains(p)) {
                        Files.delete(p);
                    } else if (Files.isDirectory(p) && isEmpty(p)) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
