package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.testing.Owners;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnerTest {

    private final Owner me = Owner.current();

    @Test
    void labelParsesBackToTheSameOwner() {
        assertEquals(Optional.of(me), Owner.parse(me.label()));
        assertEquals(ProcessHandle.current().pid(), me.pid());
    }

    @Test
    void malformedLabelsParseToNothing() {
        assertEquals(Optional.empty(), Owner.parse(null));
        assertEquals(Optional.empty(), Owner.parse("host/12"));
        assertEquals(Optional.empty(), Owner.parse("host/not-a-pid/2020-01-01T00:00:00Z"));
    }

    @Test
    void thisProcessIsNotGone() {
        assertFalse(me.isGone());
    }

    @Test
    void processThatDoesNotRunIsGone() {
        assertTrue(Owners.gone().isGone());
    }

    @Test
    void recycledPidIsGone() {
        assertTrue(new Owner(me.host(), me.pid(), "2020-01-01T00:00:00Z").isGone());
    }

    @Test
    void ownerOnAnotherHostIsNeverGone() {
        assertFalse(new Owner("some-other-host", Owners.gone().pid(), "2020-01-01T00:00:00Z").isGone());
    }
}
