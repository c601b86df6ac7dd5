package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineDiscovery;
import dev.dlb.core.engine.EngineEndpoint;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.render.OutputTree;
import dev.dlb.core.render.RenderedFile;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.run.StackException;
import dev.dlb.core.spec.ConfdSpec;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.SpecValidator;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import dev.dlb.core.tool.ConfdCheck;
import dev.dlb.core.tool.ConfdResolver;
import dev.dlb.core.tool.HttpDownloader;
import dev.dlb.core.tool.ToolException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Parameters every goal shares, and the one place where core errors become Maven errors: bad
 * configuration fails the build ({@link MojoFailureException}), a broken environment errs
 * ({@link MojoExecutionException}).
 */
abstract class AbstractDlbMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    /** Skips every dlb goal. @since 0.1.0 */
    @Parameter(property = "dlb.skip", defaultValue = "false")
    boolean skip;

    /** The web replicas. @since 0.1.0 */
    @Parameter
    Web web = new Web();

    /** The balancer. @since 0.1.0 */
    @Parameter
    Balancer balancer = new Balancer();

    /** Where confd comes from. @since 0.1.0 */
    @Parameter
    Confd confd = new Confd();

    /** Where render-config writes the build contexts, the compose file and the run's properties. @since 0.1.0 */
    @Parameter(property = "dlb.outputDirectory", defaultValue = "${project.build.directory}/dlb")
    File outputDirectory;

    /** Seconds start waits for every replica to answer through the balancer. @since 0.1.0 */
    @Parameter(property = "dlb.readyTimeout", defaultValue = "60")
    int readyTimeout;

    /** Keep the data volumes when the stack stops, for the next start to see. @since 0.1.0 */
    @Parameter(property = "dlb.keepVolumes", defaultValue = "false")
    boolean keepVolumes;

    /** Command-line override of {@code <web><replicas>}. @since 0.1.0 */
    @Parameter(property = "dlb.web.replicas")
    Integer replicasOverride;

    /** Command-line override of {@code <balancer><port>}. @since 0.1.0 */
    @Parameter(property = "dlb.balancer.port")
    Integer portOverride;

    /** Command-line override of {@code <balancer><bindAddress>}. @since 0.1.0 */
    @Parameter(property = "dlb.balancer.bindAddress")
    String bindAddressOverride;

    /** Command-line override of {@code <balancer><host>}: the host that {@code dlb.balancer.url} names. @since 0.2.0 */
    @Parameter(property = "dlb.balancer.host")
    String hostOverride;

    /** Command-line override of {@code <balancer><strategy>}. @since 0.1.0 */
    @Parameter(property = "dlb.balancer.strategy")
    String strategyOverride;

    /** Command-line override of {@code <confd><binary>}. @since 0.1.0 */
    @Parameter(property = "dlb.confd.binary")
    File confdBinaryOverride;

    private EngineEndpoint endpoint;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped()) {
            getLog().info("dlb: skipped");
            return;
        }
        try {
            run();
        } catch (InvalidSpecException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (ToolException | StackException | EngineException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("I/O failure: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted", e);
        }
    }

    boolean skipped() {
        return skip;
    }

    abstract void run() throws IOException, ToolException, StackException, EngineException, InterruptedException;

    /** The validated spec; throws listing every configuration problem. */
    StackSpec stackSpec() {
        SpecMapper mapper = mapper();
        StackSpec spec = mapper.stack();
        SpecValidator.requireValid(spec, mapper.confd());
        return spec;
    }

    ConfdSpec confdSpec() {
        return mapper().confd();
    }

    Path resolveConfd() throws ToolException {
        Path localRepository = Path.of(session.getLocalRepository().getBasedir());
        ConfdResolver resolver = new ConfdResolver(localRepository, session.isOffline(), new HttpDownloader(), getLog()::info);
        return resolver.resolve(confdSpec());
    }

    /** Renders and writes; shared with build-images so that a build never uses a stale context. */
    void render(StackSpec spec) throws IOException, ToolException {
        Path confd = resolveConfd();
        List<RenderedFile> files = new StackRenderer().render(spec, confd);
        int changed = new OutputTree(spec.outputDirectory()).write(files);
        getLog().info("dlb: rendered " + files.size() + " files to " + spec.outputDirectory() + " (" + changed + " changed)");
        if (ConfdCheck.canRunHere() && Files.isExecutable(confd)) {
            ConfdCheck.check(confd, spec.outputDirectory().resolve(StackRenderer.WEB).resolve("confd-etc"),
                    Topology.webEnvironment(spec.web(), 1));
        }
    }

    /**
     * DOCKER_HOST and its kin from the environment, or as -D (system or Maven user properties);
     * -Ddlb.engine.timeout and -Ddlb.engine.buildTimeout bound the engine's calls.
     */
    EngineSettings engineSettings() {
        return EngineSettings.of(System.getenv(), System.getProperties(), session.getUserProperties());
    }

    /** The engine as the docker CLI finds it from those settings; found once per goal, and logged with the reason. */
    EngineEndpoint engineEndpoint() {
        if (endpoint == null) {
            endpoint = EngineDiscovery.onThisMachine().find(engineSettings());
            getLog().info("dlb: Docker engine " + endpoint.describe());
        }
        return endpoint;
    }

    ContainerEngine engine(EngineSettings settings) {
        return DockerJavaEngine.connect(engineEndpoint(), settings.timeouts());
    }

    private SpecMapper mapper() {
        return new SpecMapper(project.getGroupId(), project.getArtifactId(), project.getVersion(), this);
    }
}
