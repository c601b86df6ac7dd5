package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dlb.core.run.StackSession.Lifetime;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a session's labels say about who may remove it, written and read back. */
class OwnershipTest {

    private static final Optional<FileId> CHECKOUT = Optional.of(new FileId(2049, 12, Path.of("/work/shop")));
    private static final Owner OWNER = new Owner("ci-1", new ProcessId("boot", "pid:[4026531836]", 4242, 98765),
            Optional.of(new FileId(2049, 77, Path.of("/work/shop/target/dlb/session-ab.lock"))));

    @Test
    void attendedSessionsRecordOwnerLockAndCheckout() {
        Map<String, String> labels = Ownership.attended(OWNER, CHECKOUT).labels();

        assertEquals(Map.of(Labels.OWNER, "ci-1/boot/pid:[4026531836]/4242/98765",
                Labels.OWNER_LOCK, "2049:77:/work/shop/target/dlb/session-ab.lock",
                Labels.CHECKOUT, "2049:12:/work/shop"), labels);
    }

    @Test
    void everyLifetimeReadsBackAsWritten() {
        for (Ownership written : new Ownership[] {Ownership.attended(OWNER, CHECKOUT), Ownership.unowned(Lifetime.UNATTENDED, CHECKOUT),
                Ownership.unowned(Lifetime.KEPT, CHECKOUT), Ownership.unowned(Lifetime.KEPT, Optional.empty())}) {
            assertEquals(Optional.of(written), Ownership.fromLabels(written.labels()));
        }
    }

    @Test
    void keptSessionsAreMarkedKept() {
        assertEquals("true", Ownership.unowned(Lifetime.KEPT, CHECKOUT).labels().get(Labels.KEEP));
    }

    @Test
    void labelsOfAnOlderPluginReadAsNothing() {
        assertEquals(Optional.empty(), Ownership.fromLabels(Map.of(Labels.OWNER, "ci-1/4242/2020-01-01T00:00:00Z")));
        assertEquals(Optional.empty(), Ownership.fromLabels(Map.of()));
    }

    @Test
    void anOwnerProcessGoesWithAttendedSessionsOnly() {
        assertThrows(IllegalArgumentException.class, () -> new Ownership(Lifetime.KEPT, Optional.of(OWNER), CHECKOUT));
        assertThrows(IllegalArgumentException.class, () -> Ownership.unowned(Lifetime.ATTENDED, CHECKOUT));
    }
}
