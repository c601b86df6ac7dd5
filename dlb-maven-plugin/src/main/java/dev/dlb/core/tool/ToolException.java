package dev.dlb.core.tool;

/** A tool the stack needs cannot be had; the message says why and how to fix it. */
public final class ToolException extends Exception {

    private final boolean engineMissing;

    public ToolException(String message) {
        this(message, null, false);
    }

    public ToolException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private ToolException(String message, Throwable cause, boolean engineMissing) {
        super(message, cause);
        this.engineMissing = engineMissing;
    }

    /** The tool is made for the engine, and no engine answered: what needs no engine can still go on. */
    public static ToolException engineMissing(String message, Throwable cause) {
        return new ToolException(message, cause, true);
    }

    public boolean engineMissing() {
        return engineMissing;
    }
}
