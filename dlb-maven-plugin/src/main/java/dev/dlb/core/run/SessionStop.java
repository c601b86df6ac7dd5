package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What stop removes: the session its output directory recorded, a session named on purpose, or, asked
 * for explicitly, every session of the project. A checkout that started nothing removes nothing, since
 * the project's other sessions may be other checkouts' builds in the middle of their tests.
 */
public final class SessionStop {

    /**
     * @param session a session to stop instead of the one the output directory recorded
     * @param all every session of the project, whoever started it
     */
    public record Request(String projectId, Path outputDirectory, Optional<String> session, boolean all, boolean keepVolumes) {
    }

    private final ContainerEngine engine;
    private final StackStopper stopper;
    private final Consumer<String> info;
    private final Consumer<String> warn;

    /** The longest stop timeout: a container that takes longer is not stopping. */
    static final int MAX_STOP_TIMEOUT = 600;

    public SessionStop(ContainerEngine engine, Consumer<String> info, Consumer<String> warn) {
        this(engine, Duration.ZERO, info, warn);
    }

    /** @param stopTimeout how long each container may take to end (SIGTERM) before it is killed and removed */
    public SessionStop(ContainerEngine engine, Duration stopTimeout, Consumer<String> info, Consumer<String> warn) {
        this.engine = engine;
        this.stopper = new StackStopper(engine, stopTimeout, info, warn);
        this.info = info;
        this.warn = warn;
    }

    /** The {@code <stopTimeout>} parameter, in seconds, checked: 0 (killed at once) to {@value #MAX_STOP_TIMEOUT}. */
    public static Duration stopTimeout(int seconds) {
        if (seconds < 0 || seconds > MAX_STOP_TIMEOUT) {
            throw new InvalidSpecException(List.of(new Problem("<stopTimeout>", Integer.toString(seconds),
                    "a container's time to end before it is killed must be 0 to " + MAX_STOP_TIMEOUT + " seconds",
                    "give a number of seconds such as 1 (-Ddlb.stop.timeout=1), or 0 to kill at once")));
        }
        return Duration.ofSeconds(seconds);
    }

    /** @return what was removed; empty when there was nothing to stop, so nothing was asked of the engine */
    public Optional<List<Resource>> stop(Request request) throws IOException, EngineException {
        RunFiles files = new RunFiles(request.outputDirectory());
        Optional<String> recorded = files.readSession();
        if (request.all()) {
            return Optional.of(stopAll(request, files));
        }
        Optional<String> session = request.session().or(() -> recorded);
        if (session.isEmpty()) {
            warn.accept(nothingRecorded(request, files));
            return Optional.empty();
        }
        engine.ping();
        List<Resource> removed = stopper.stopSession(request.projectId(), session.get(), request.keepVolumes());
        if (session.equals(recorded)) {
            files.clear();
        }
        return Optional.of(removed);
    }

    private List<Resource> stopAll(Request request, RunFiles files) throws IOException, EngineException {
        engine.ping();
        info.accept("Removing every resource of " + request.projectId() + ", whatever build or checkout started it (dlb.stop.all)");
        List<Resource> removed = stopper.stopAll(request.projectId(), request.keepVolumes());
        files.clear();
        return removed;
    }

    private static String nothingRecorded(Request request, RunFiles files) {
        return "No session file " + files.sessionFile() + ": no stack of " + request.projectId() + " was started from "
                + request.outputDirectory() + " (or it was stopped already), so nothing was removed; stacks of other builds and "
                + "checkouts of " + request.projectId() + " are left alone. To remove one session: mvn dlb:stop -Ddlb.stop.session=ID "
                + "(start logs the ID); to remove every stack of " + request.projectId() + " on this engine: mvn dlb:stop -Ddlb.stop.all";
    }
}
