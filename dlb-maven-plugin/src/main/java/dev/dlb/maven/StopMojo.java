package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.StackStopper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Removes what start created, found by label: idempotent, and works after a failed or partial start
 * and from a later, separate Maven run.
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class StopMojo extends AbstractStackMojo {

    /** Remove every container, network and volume of this project, whatever session created it. @since 0.1.0 */
    @Parameter(property = "dlb.stop.all", defaultValue = "false")
    boolean all;

    @Override
    void run() throws IOException, EngineException {
        String projectId = project.getGroupId() + ":" + project.getArtifactId();
        RunFiles files = new RunFiles(outputDirectory.toPath());
        if (keepRunning) {
            getLog().warn("dlb: stack left running (dlb.keepRunning); the next start of " + projectId + " removes it");
            return;
        }
        Optional<String> sessionId = files.readSession();
        try (ContainerEngine engine = DockerJavaEngine.fromEnvironment()) {
            engine.ping();
            StackStopper stopper = new StackStopper(engine, getLog()::info);
            List<Resource> removed;
            if (all || sessionId.isEmpty()) {
                getLog().info("dlb: removing every resource of " + projectId + (all ? "" : " (no session file in " + outputDirectory + ")"));
                removed = stopper.stopAll(projectId, keepVolumes);
            } else {
                removed = stopper.stopSession(projectId, sessionId.get(), keepVolumes);
            }
            files.clear();
            getLog().info("dlb: removed " + removed.size() + " resources" + (keepVolumes ? " (volumes kept)" : ""));
        }
    }
}
