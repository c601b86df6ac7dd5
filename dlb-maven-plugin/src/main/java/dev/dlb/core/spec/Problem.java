package dev.dlb.core.spec;

/** One thing wrong with the configuration: where (as the POM's XML path), what value, why, and how to fix it. */
public record Problem(String xmlPath, String value, String reason, String fix) {

    @Override
    public String toString() {
        return xmlPath + " = '" + value + "': " + reason + ". Fix: " + fix;
    }
}
