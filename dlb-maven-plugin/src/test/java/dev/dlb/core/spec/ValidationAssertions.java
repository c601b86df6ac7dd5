package dev.dlb.core.spec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.testing.SpecBuilder;

/** What the validator tests share: running it, and the shape every single-problem message must have. */
final class ValidationAssertions {

    private ValidationAssertions() {
    }

    static void requireValid(SpecBuilder b) {
        SpecValidator.requireValid(b.stack(), b.confd());
    }

    static InvalidSpecException invalid(SpecBuilder b) {
        return assertThrows(InvalidSpecException.class, () -> requireValid(b));
    }

    /** Exactly one problem, naming the XML path and the value, with a reason and a fix, all in the message. */
    static void assertOneProblem(SpecBuilder b, String xmlPath, String value) {
        InvalidSpecException e = invalid(b);
        assertEquals(1, e.problems().size(), e::getMessage);
        Problem p = e.problems().get(0);
        assertAll(
                () -> assertEquals(xmlPath, p.xmlPath()),
                () -> assertEquals(value, p.value()),
                () -> assertFalse(p.reason().isBlank()),
                () -> assertFalse(p.fix().isBlank()),
                () -> assertTrue(e.getMessage().contains(xmlPath + " = '" + value + "': " + p.reason() + ". Fix: " + p.fix()),
                        e::getMessage));
    }
}
