package dev.dlb.core.tool;

/** A tool the stack needs cannot be had; the message says why and how to fix it. */
public final class ToolException extends Exception {

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
