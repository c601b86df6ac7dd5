package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.testing.FakeProcesses;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnerTest {

    private static final FileId LOCK = new FileId(2049, 77, Path.of("/builds/shop/target/dlb/session-ab.lock"));

    @Test
    void labelParsesBackToTheSameOwner() {
        Owner owner = Owner.current(new FakeProcesses(new ProcessId("3f1c-boot", "pid:[4026531836]", 4242, 98765)), Optional.of(LOCK));

        assertTrue(owner.label().endsWith("/3f1c-boot/pid:[4026531836]/4242/98765"), owner::label);
        assertEquals(Optional.of(owner), Owner.parse(owner.label(), Optional.of(LOCK)));
    }

    @Test
    void theCurrentOwnerIsThisProcess() {
        Owner me = Owner.current(new ProcFs(), Optional.empty());

        assertEquals(ProcessHandle.current().pid(), me.process().pid());
        assertTrue(me.process().known(), me::toString);
    }

    /** Labels of plugin versions that recorded host/pid/start only prove nothing: they parse to nothing. */
    @Test
    void malformedAndOlderLabelsParseToNothing() {
        assertEquals(Optional.empty(), Owner.parse(null, Optional.empty()));
        assertEquals(Optional.empty(), Owner.parse("unattended", Optional.empty()));
        assertEquals(Optional.empty(), Owner.parse("host/12/2020-01-01T00:00:00Z", Optional.empty()));
        assertEquals(Optional.empty(), Owner.parse("host/boot/pid:[1]/not-a-pid/5", Optional.empty()));
        assertEquals(Optional.empty(), Owner.parse("host/boot/pid:[1]/12/5/extra", Optional.empty()));
    }
}
