package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @TempDir
    Path tmp;

    @Test
    void thisProcessIsKnownAndItsStartTimeReadsTheSameByPid() {
        ProcFs proc = new ProcFs();
        ProcessId self = proc.self();

        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.pidNamespace().startsWith("pid:["), self::toString);
        assertTrue(self.bootId().length() >= 32, self::toString);
        assertEquals(OptionalLong.of(self.startTicks()), proc.startTicks(self.pid()));
    }

    @Test
    void aPidThatDoesNotRunHasNoStartTime() throws IOException {
        Files.createDirectories(tmp.resolve("7"));

        assertEquals(OptionalLong.empty(), new ProcFs(tmp).startTicks(8));
        assertEquals(OptionalLong.empty(), new ProcFs(tmp).startTicks(7), "no stat: gone between listing and reading");
    }

    /** The command may hold spaces and parentheses: fields count from its last ')'. */
    @Test
    void theStartTimeIsFieldTwentyTwoWhateverTheCommand() throws IOException {
        Files.createDirectories(tmp.resolve("7"));
        StringBuilder stat = new StringBuilder("7 (java (x) y) S");
        for (int field = 4; field <= 25; field++) {
            stat.append(' ').append(field == 22 ? 123456 : field);
        }
        Files.writeString(tmp.resolve("7/stat"), stat + "\n");

        assertEquals(OptionalLong.of(123456), new ProcFs(tmp).startTicks(7));
    }

    @Test
    void withoutProcThisProcessIsOfAnUnknownBootAndNamespace() {
        ProcessId self = new ProcFs(tmp.resolve("no-proc")).self();

        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertEquals(false, self.known());
    }
}
