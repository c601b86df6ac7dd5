package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackException;
import dev.dlb.core.run.StackSession;
import dev.dlb.core.run.StackSession.Lifetime;
import dev.dlb.core.spec.StackSpec;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Brings the stack up: networks, volumes, the web replicas and the balancer, and returns once every
 * replica answered through the balancer. Sets {@code dlb.balancer.url}, {@code dlb.balancer.port}
 * and {@code dlb.stack.replicas}.
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class StartMojo extends AbstractStackMojo {

    @Override
    void run() throws IOException, StackException, EngineException, InterruptedException {
        StackSpec spec = stackSpec();
        EngineSettings settings = engineSettings();
        try (ContainerEngine engine = engine(settings)) {
            RunningStack stack = new StackSession(engine, settings, new JdkHttpProbe(), Pacer.system(), getLog()::info)
                    .start(spec, lifetime(), project.getBasedir().toPath());
            project.getProperties().setProperty(RunFiles.URL_PROPERTY, stack.balancerUrl());
            project.getProperties().setProperty(RunFiles.PORT_PROPERTY, Integer.toString(stack.balancerPort()));
            project.getProperties().setProperty(RunFiles.REPLICAS_PROPERTY, Integer.toString(stack.replicas().size()));
            getLog().info("dlb: " + stack.replicas().size() + " replicas answering through " + stack.balancerUrl()
                    + " (session " + stack.session() + ")" + sinceStart());
        }
    }

    /** Bound to the lifecycle, the stack lives as long as this build; started by hand, until dlb:stop. */
    private Lifetime lifetime() {
        if (keepRunning) {
            return Lifetime.KEPT;
        }
        return "default-cli".equals(mojoExecution.getExecutionId()) ? Lifetime.UNATTENDED : Lifetime.ATTENDED;
    }
}
