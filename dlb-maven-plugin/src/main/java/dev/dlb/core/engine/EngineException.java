package dev.dlb.core.engine;

/** The engine refused or failed an operation; the message says what and, where known, how to fix it. */
public class EngineException extends Exception {

    private final boolean unanswered;

    public EngineException(String message) {
        this(message, null, false);
    }

    public EngineException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private EngineException(String message, Throwable cause, boolean unanswered) {
        super(message, cause);
        this.unanswered = unanswered;
    }

    /** The engine gave no answer in time (or was skipped because it had stopped answering): nothing says what it did. */
    public static EngineException unanswered(String message, Throwable cause) {
        return new EngineException(message, cause, true);
    }

    public boolean unanswered() {
        return unanswered;
    }
}
