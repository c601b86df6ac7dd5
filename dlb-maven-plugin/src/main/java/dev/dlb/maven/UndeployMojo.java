package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.swarm.SwarmDeployer;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Removes what {@code dlb:deploy} made on the swarm whose manager is the engine: every service, config and secret
 * labelled with this project, then its overlay networks. Idempotent. Per-node data volumes stay, as after
 * {@code docker stack rm}.
 */
@Mojo(name = "undeploy", threadSafe = true)
public class UndeployMojo extends AbstractDlbMojo {

    @Override
    void run() throws EngineException, InterruptedException {
        String projectId = project.getGroupId() + ":" + project.getArtifactId();
        try (ContainerEngine engine = engine(engineSettings())) {
            int removed = new SwarmDeployer(engine, new JdkHttpProbe(), Pacer.system(), m -> getLog().info("dlb: " + m))
                    .undeploy(projectId).size();
            getLog().info("dlb: undeployed " + projectId + ": removed " + removed + " services, configs, secrets and networks");
        }
    }
}
