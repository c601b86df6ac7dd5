package dev.dlb.core.spec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation must never look a name up: a child JVM resolves names from a hosts file only (no DNS
 * at all), where each of these names is the loopback address. Had the validator looked one up, it
 * would have accepted it.
 */
class BindAddressLookupTest {

    private static final List<String> NAMES = List.of("localhost", "cafe", "dead.beef", "999.1.1.1", "1.2.3.4.5");

    @Test
    void namesAreRejectedWithoutALookup(@TempDir Path tmp) throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), NAMES.stream().map(n -> "127.0.0.1 " + n + "\n").collect(Collectors.joining()));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"), BindAddressCheck.class.getName(),
                "127.0.0.1"));
        command.addAll(NAMES);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, child.waitFor(), out);
        assertTrue(out.contains("accepts 127.0.0.1"), out);
        assertAll(NAMES.stream().map(name -> () -> {
            assertTrue(out.contains("resolves " + name + " 127.0.0.1"), "the hosts file is in use: " + out);
            assertTrue(out.contains("rejects " + name), out);
        }));
    }
}
