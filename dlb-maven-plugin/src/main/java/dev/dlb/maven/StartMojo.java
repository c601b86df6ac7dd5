package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Owner;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.Watchdog;
import dev.dlb.core.run.StackException;
import dev.dlb.core.run.StackStarter;
import dev.dlb.core.spec.StackSpec;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Brings the stack up: network, volumes, the web replicas and the balancer, and returns once every
 * replica answered through the balancer. Sets {@code dlb.balancer.url} and {@code dlb.balancer.port}.
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class StartMojo extends AbstractDlbMojo {

    /** Skips start and stop together with the integration tests. @since 0.1.0 */
    @Parameter(property = "skipITs", defaultValue = "false")
    boolean skipITs;

    /** Debugging: leave the stack running after the build; the next start of this project removes it. @since 0.1.0 */
    @Parameter(property = "dlb.keepRunning", defaultValue = "false")
    boolean keepRunning;

    @Override
    boolean skipped() {
        return skip || skipITs;
    }

    @Override
    void run() throws IOException, StackException, EngineException, InterruptedException {
        StackSpec spec = stackSpec();
        String sessionId = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        RunFiles files = new RunFiles(spec.outputDirectory());
        files.writeSession(spec.projectId(), sessionId);
        // Bound to the lifecycle, the stack lives as long as this build; started by hand, until dlb:stop.
        boolean attended = !keepRunning && !"default-cli".equals(mojoExecution.getExecutionId());
        if (attended) {
            long pid = Watchdog.launch(spec.projectId(), sessionId, files.markerFile(sessionId), keepVolumes, files.watchdogLog(sessionId));
            getLog().debug("dlb: watchdog " + pid + " removes session " + sessionId + " if this build dies before dlb:stop");
        }
        try (ContainerEngine engine = DockerJavaEngine.fromEnvironment()) {
            StackStarter starter = new StackStarter(engine, new JdkHttpProbe(), Pacer.system(), getLog()::info);
            RunningStack stack = starter.start(spec, sessionId, attended ? Owner.current() : Owner.unattended(), keepRunning);
            files.writeBalancer(stack);
            project.getProperties().setProperty(RunFiles.URL_PROPERTY, stack.balancerUrl());
            project.getProperties().setProperty(RunFiles.PORT_PROPERTY, Integer.toString(stack.balancerPort()));
            project.getProperties().setProperty(RunFiles.REPLICAS_PROPERTY, Integer.toString(stack.replicas().size()));
            getLog().info("dlb: " + stack.replicas().size() + " replicas answering through " + stack.balancerUrl()
                    + " (session " + sessionId + ")");
        }
    }
}
