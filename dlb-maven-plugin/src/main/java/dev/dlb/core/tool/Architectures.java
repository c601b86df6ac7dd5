package dev.dlb.core.tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The CPU architectures dlb has confd for, as Go names them (GOARCH), from what engines, JVMs and ELF headers say. */
final class Architectures {

    private static final int EM_X86_64 = 0x3E;
    private static final int EM_AARCH64 = 0xB7;

    private Architectures() {
    }

    /** amd64 or arm64 for any of their names (x86_64, aarch64, ...); empty for any other architecture. */
    static Optional<String> goArch(String name) {
        return switch (String.valueOf(name).toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> Optional.of("amd64");
            case "arm64", "aarch64", "arm64/v8" -> Optional.of("arm64");
            default -> Optional.empty();
        };
    }

    /** This JVM's architecture on Linux; empty elsewhere, where no Linux binary runs. */
    static Optional<String> host() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        return linux ? goArch(System.getProperty("os.arch", "")) : Optional.empty();
    }

    /** The architecture a binary was built for, from its ELF header; empty for a script or anything else. */
    static Optional<String> ofElf(Path binary) {
        byte[] header = new byte[20];
        try (InputStream in = Files.newInputStream(binary)) {
            if (in.readNBytes(header, 0, header.length) < header.length || header[0] != 0x7F || header[1] != 'E'
                    || header[2] != 'L' || header[3] != 'F') {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        boolean littleEndian = header[5] == 1;
        int machine = littleEndian ? (header[18] & 0xFF) | (header[19] & 0xFF) << 8 : (header[19] & 0xFF) | (header[18] & 0xFF) << 8;
        return switch (machine) {
            case EM_X86_64 -> Optional.of("amd64");
            case EM_AARCH64 -> Optional.of("arm64");
            default -> Optional.empty();
        };
    }
}
