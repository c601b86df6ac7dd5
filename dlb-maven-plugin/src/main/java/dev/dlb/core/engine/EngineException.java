package dev.dlb.core.engine;

/** The engine refused or failed an operation; the message says what and, where known, how to fix it. */
public class EngineException extends Exception {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
