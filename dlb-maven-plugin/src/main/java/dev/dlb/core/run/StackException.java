package dev.dlb.core.run;

/** The stack could not be brought up or down; the message names what failed and where to look. */
public final class StackException extends Exception {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
