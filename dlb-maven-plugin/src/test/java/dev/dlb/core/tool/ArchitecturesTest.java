package dev.dlb.core.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Architecture names from engines, and from binaries' ELF headers; the host confd check runs only a binary that fits the host. */
class ArchitecturesTest {

    @TempDir
    Path dir;

    @Test
    void enginesNamesOfTheTwoArchitecturesMapToGoNames() {
        assertEquals(Optional.of("amd64"), Architectures.goArch("x86_64"));
        assertEquals(Optional.of("amd64"), Architectures.goArch("amd64"));
        assertEquals(Optional.of("arm64"), Architectures.goArch("aarch64"));
        assertEquals(Optional.of("arm64"), Architectures.goArch("ARM64"));
        assertEquals(Optional.empty(), Architectures.goArch("s390x"));
        assertEquals(Optional.empty(), Architectures.goArch(null));
    }

    @Test
    void elfHeadersNameTheirMachine() throws IOException {
        assertEquals(Optional.of("amd64"), Architectures.ofElf(elf("x86-64", 0x3E)));
        assertEquals(Optional.of("arm64"), Architectures.ofElf(elf("aarch64", 0xB7)));
        assertEquals(Optional.empty(), Architectures.ofElf(elf("riscv", 0xF3)));
        assertEquals(Optional.empty(), Architectures.ofElf(Files.writeString(dir.resolve("script"), "#!/bin/sh\nexit 0\n")));
        assertEquals(Optional.empty(), Architectures.ofElf(dir.resolve("missing")));
    }

    @Test
    void theHostCheckRunsOnlyAnExecutableOfTheHostsArchitecture() throws IOException {
        Optional<String> host = Architectures.host();
        assumeTrue(host.isPresent(), "a Linux host of amd64 or arm64");
        Path fits = executable(elf("fits", host.get().equals("amd64") ? 0x3E : 0xB7));
        Path other = executable(elf("other", host.get().equals("amd64") ? 0xB7 : 0x3E));

        assertTrue(ConfdCheck.canRunHere(fits));
        assertFalse(ConfdCheck.canRunHere(other), "a binary built for a remote engine of the other architecture");
        assertFalse(ConfdCheck.canRunHere(executable(Files.writeString(dir.resolve("script"), "#!/bin/sh\n"))));
        assertFalse(ConfdCheck.canRunHere(elf("not-executable", host.get().equals("amd64") ? 0x3E : 0xB7)));
    }

    /** The first 20 bytes of a little-endian 64-bit ELF executable for this machine number. */
    private Path elf(String name, int machine) throws IOException {
        byte[] header = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, (byte) machine, 0, 1, 0, 0, 0};
        return Files.write(dir.resolve(name), header);
    }

    private static Path executable(Path file) {
        assertTrue(file.toFile().setExecutable(true));
        return file;
    }
}
