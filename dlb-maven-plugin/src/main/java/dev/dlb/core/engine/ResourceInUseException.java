package dev.dlb.core.engine;

/** The engine refused to remove a volume because a container, running or not, still mounts it. */
public final class ResourceInUseException extends EngineException {

    public ResourceInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
