package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.SessionStop;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Removes what start created from this output directory, found by label: idempotent, and works after a
 * failed or partial start and from a later, separate Maven run. Stacks of other checkouts of the project
 * are left alone unless {@code dlb.stop.all} asks for them.
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class StopMojo extends AbstractStackMojo {

    /**
     * Remove every container, network and volume of this project, whatever build or checkout created it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.stop.all", defaultValue = "false")
    boolean all;

    /**
     * Remove this session (its id, as start and the labels name it) instead of the one this output
     * directory recorded.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.stop.session")
    String stopSession;

    /**
     * Seconds each container is given to end by itself before it is killed: stop sends it SIGTERM (httpd and nginx
     * end at once, skipping their graceful waits, which may last as long as a client keeps a connection), then
     * removes it, killing it if it still runs. 0 to 600; 0 kills at once.
     *
     * @since 0.2.0
     */
    @Parameter(property = "dlb.stop.timeout", defaultValue = "1")
    int stopTimeout;

    @Override
    void run() throws IOException, EngineException {
        String projectId = project.getGroupId() + ":" + project.getArtifactId();
        Duration timeout = SessionStop.stopTimeout(stopTimeout);
        if (keepRunning) {
            getLog().warn("dlb: stack left running (dlb.keepRunning); mvn dlb:stop, or the next start, in this checkout removes it");
            return;
        }
        try (ContainerEngine engine = engine(engineSettings())) {
            SessionStop.Request request = new SessionStop.Request(projectId, outputDirectory.toPath(),
                    Optional.ofNullable(stopSession).filter(s -> !s.isBlank()), all, keepVolumes);
            Optional<List<Resource>> removed = new SessionStop(engine, timeout, getLog()::info, m -> getLog().warn("dlb: " + m)).stop(request);
            removed.ifPresent(r -> getLog().info("dlb: removed " + r.size() + " resources" + (keepVolumes ? " (volumes kept)" : "") + sinceStart()));
        }
    }
}
