package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.StackException;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.swarm.DeployRequest;
import dev.dlb.core.swarm.DeployedStack;
import dev.dlb.core.swarm.SwarmDeployer;
import dev.dlb.core.swarm.SwarmDeployment;
import dev.dlb.core.tool.ToolException;
import java.io.IOException;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Deploys the stack to the Docker Swarm whose manager is the engine (DOCKER_HOST): builds both images unless up to
 * date, pushes them to the registry, creates the overlay networks and the web and balancer services from the same
 * web, balancer and swarm declaration, or updates them in place (rolling) when they are there, and returns once every
 * replica slot answered through the published balancer. Sets {@code dlb.balancer.url}.
 * A deploy is a deployment, not a test fixture: it outlives the build; {@code dlb:undeploy} removes it.
 */
@Mojo(name = "deploy", threadSafe = true)
public class DeployMojo extends BuildImagesMojo {

    /**
     * HOST[:PORT] of the registry that every node of the swarm pulls the images from. Credentials, if it needs any, are
     * those of the settings.xml server whose id is this HOST[:PORT]; an encrypted password ({...}) is decrypted as Maven
     * decrypts one, with the master password of settings-security.xml.
     *
     * @since 0.3.0
     */
    @Parameter(property = "dlb.registry")
    String registry;

    /** Decrypts an encrypted settings.xml password ({@code {...}}) as Maven does. */
    @Component
    SettingsDecrypter decrypter;

    @Override
    void run() throws IOException, ToolException, EngineException, StackException, InterruptedException {
        StackSpec spec = stackSpec();
        SwarmDeployment deployment = DeployRequest.plan(spec, registry, credentials(), spec.balancer().reach().host());
        render(spec);
        try (ContainerEngine engine = engine(engineSettings())) {
            build(spec, engine);
            DeployedStack stack = new SwarmDeployer(engine, new JdkHttpProbe(), Pacer.system(), m -> getLog().info("dlb: " + m))
                    .deploy(deployment);
            project.getProperties().setProperty(RunFiles.URL_PROPERTY, stack.balancerUrl().toString());
            project.getProperties().setProperty(RunFiles.REPLICAS_PROPERTY, Integer.toString(stack.replicas()));
            getLog().info("dlb: " + stack.replicas() + " replicas on nodes " + stack.nodes() + " answering through " + stack.balancerUrl()
                    + (stack.updated() ? " (updated in place)" : "") + "; mvn dlb:undeploy removes them");
        }
    }

    private Optional<RegistryAuth> credentials() {
        return RegistryCredentials.of(registry, session.getSettings(), decrypter);
    }
}
