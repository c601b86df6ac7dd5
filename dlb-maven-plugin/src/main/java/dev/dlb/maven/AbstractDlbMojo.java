package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineDiscovery;
import dev.dlb.core.engine.EngineEndpoint;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.engine.EngineTrace;
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
import dev.dlb.core.tool.ToolException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** The Maven session: offline mode, the local repository, user properties. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    /** This goal's execution, to tell a goal run by hand from one bound to the lifecycle. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    /**
     * Skips every dlb goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.skip", defaultValue = "false")
    boolean skip;

    /**
     * The web replicas: httpd containers behind the balancer, all from one image, each parametrised by
     * confd from its environment when it starts. Nested parameters:
     * <ul>
     * <li><code>replicas</code>: how many replicas run, 1 to 64. Default 3; command line
     * <code>-Ddlb.web.replicas</code>.</li>
     * <li><code>baseImage</code>: the image the web image is built FROM. It must honour the official httpd
     * image's contract: httpd-foreground on the PATH, document root /usr/local/apache2/htdocs; Alpine-based
     * images work too. Default httpd:2.4.65.</li>
     * <li><code>image</code>: the tag of the web image that build-images builds. Default
     * dlb/ARTIFACTID-web:VERSION.</li>
     * <li><code>contentDirectory</code>: static files copied into every replica's document root. Default none.</li>
     * <li><code>confdDirectory</code>: your confd resources (conf.d/*.toml) and templates (templates/*), merged
     * over the defaults; a file of the same name replaces a default. Default none.</li>
     * <li><code>environment</code>: environment variables of every replica, one element per variable named
     * after it; templates read them with getenv. Default empty.</li>
     * <li><code>replicaEnvironments</code>: values for single replicas over those of environment, one
     * replicaEnvironment element each. Default empty.</li>
     * <li><code>replicaEnvironment &gt; replica</code>: the number of the replica it is for, from 1.</li>
     * <li><code>replicaEnvironment &gt; environment</code>: its variables, one element per variable named after it.</li>
     * <li><code>memory</code>: memory limit of each replica: bytes, or a number with k, m or g. Default 256m.</li>
     * <li><code>pids</code>: most processes and threads each replica may hold; at least workers + 32. Default 512.</li>
     * <li><code>workers</code>: httpd worker threads per replica, in one child process that is never
     * recycled, with keepalive limits above the balancer's; 0 keeps the base image's own MPM and keepalive
     * settings. Default 256.</li>
     * <li><code>accessLog</code>: how each replica writes its access log to its output, which the engine's log
     * driver reads line by line: buffered (httpd's BufferedLogs: lines written 4 KB at a time, and when the replica
     * stops), on (every line as its request ends) or off (none; errors are still logged). Default buffered; command
     * line <code>-Ddlb.web.accessLog</code>.</li>
     * </ul>
     *
     * @since 0.1.0
     */
    @Parameter
    Web web = new Web();

    /**
     * The balancer: nginx in front of the replicas, the only container published on the host. Nested
     * parameters:
     * <ul>
     * <li><code>baseImage</code>: the image the balancer image is built FROM. It must honour the official nginx
     * image's contract: nginx on the PATH, /etc/nginx/nginx.conf; Alpine-based images work too. Default
     * nginx:1.28.0.</li>
     * <li><code>image</code>: the tag of the balancer image that build-images builds. Default
     * dlb/ARTIFACTID-balancer:VERSION.</li>
     * <li><code>bindAddress</code>: the address the balancer is published on, on the engine's machine. Default
     * 127.0.0.1 for an engine on this machine, 0.0.0.0 for one reached over TCP; command line
     * <code>-Ddlb.balancer.bindAddress</code>.</li>
     * <li><code>host</code>: the host name or address that dlb.balancer.url names, where the build reaches the
     * balancer. Default: for an engine reached over TCP, its host from DOCKER_HOST (or the bind address, if a single
     * one is given); else the bind address (127.0.0.1 for 0.0.0.0); command line <code>-Ddlb.balancer.host</code>.</li>
     * <li><code>port</code>: the host port; 0 picks a free one at start. Default 0; command line
     * <code>-Ddlb.balancer.port</code>.</li>
     * <li><code>strategy</code>: round-robin, least-connections or ip-hash. Default round-robin; command line
     * <code>-Ddlb.balancer.strategy</code>.</li>
     * <li><code>memory</code>: memory limit of the balancer: bytes, or a number with k, m or g. Default 128m.</li>
     * <li><code>pids</code>: most processes and threads the balancer may hold. Default 128.</li>
     * <li><code>retry</code>: retry a GET that failed on one replica on another, up to 3 replicas; turn it off
     * only to watch failures happen. Default true.</li>
     * <li><code>connectTimeout</code>: how long the balancer waits to connect to a replica before it tries
     * another, as nginx writes durations: 500ms, 1s, 1m. Default 1s.</li>
     * <li><code>readTimeout</code>: how long a request waits for a replica's answer (between two reads)
     * before it is retried on another; it bounds what a hung replica costs. Raise it for endpoints that are
     * slow on purpose, e.g. 30s. Default 3s.</li>
     * <li><code>maxFails</code>: nginx's passive check, failed attempts within failTimeout that take a replica
     * out for failTimeout; 0 turns it off, since a keepalive connection that httpd closed would count against
     * a healthy replica. Default 0.</li>
     * <li><code>failTimeout</code>: the window and the time out of maxFails, e.g. 10s. Default 10s.</li>
     * <li><code>workerConnections</code>: connections per nginx worker, 256 to 8192; a proxied request holds
     * two. Default 4096.</li>
     * <li><code>keepalive</code>: idle connections to the replicas that each nginx worker keeps for reuse.
     * Default 64.</li>
     * <li><code>accessLog</code>: how the balancer writes its access log (client, request, status, which replica
     * answered, time) to its output: buffered (written 4 KB or one second at a time), on (every line as its request
     * ends) or off. Default buffered; command line <code>-Ddlb.balancer.accessLog</code>.</li>
     * <li><code>healthCheck</code>: the balancer's own health check: a watcher inside the balancer asks every
     * replica's health page directly, takes a replica that keeps failing out of the rotation and brings it
     * back when it answers, however the stack was started.</li>
     * <li><code>healthCheck &gt; enabled</code>: false turns the health check off. Default true.</li>
     * <li><code>healthCheck &gt; interval</code>: time between two rounds of probes, e.g. 1s. Default 1s.</li>
     * <li><code>healthCheck &gt; timeout</code>: how long one probe may take, e.g. 2s. Default 2s.</li>
     * <li><code>healthCheck &gt; failures</code>: failed probes in a row that take a replica out of the rotation.
     * Default 2.</li>
     * </ul>
     *
     * @since 0.1.0
     */
    @Parameter
    Balancer balancer = new Balancer();

    /**
     * Where the confd binary put into both images comes from. Without any of these, confd is built for the
     * engine's architecture from its Go module (checked against the Go checksum database) in a container on
     * the engine, once, and then taken from the local repository. Nested parameters:
     * <ul>
     * <li><code>binary</code>: a local confd executable for the engine's platform (linux, static), used as it
     * is. Default none; command line <code>-Ddlb.confd.binary</code>.</li>
     * <li><code>version</code>: the version of the github.com/abtreece/confd Go module that is built. Default
     * 0.30.0.</li>
     * <li><code>builderImage</code>: the Go image confd is built in, on the engine. Default
     * golang:1.22-bookworm; property <code>dlb.confd.builderImage</code>.</li>
     * </ul>
     *
     * @since 0.1.0
     */
    @Parameter
    Confd confd = new Confd();

    /**
     * How the stack runs as Docker Swarm services: render-config writes it as target/dlb/docker-stack.yml for
     * docker stack deploy. The web tier is one service of web replicas tasks, each named after its slot
     * (web-1, web-2 and so on); the balancer is one task published in mode host on its node and follows the running
     * web tasks by itself. Memory and process limits are those of web and balancer. Nested parameters:
     * <ul>
     * <li><code>placement</code>: placement constraints of the web tasks, one constraint element each, as docker
     * service create takes them, e.g. node.labels.tier==web. Default none.</li>
     * <li><code>balancerPlacement</code>: placement constraints of the balancer's task, one constraint element
     * each; its port is published on the node it runs on. Default node.role==manager.</li>
     * <li><code>updateParallelism</code>: web tasks replaced at once by a rolling update, 1 to 64. Default 1.</li>
     * <li><code>updateDelay</code>: pause between two batches of a rolling update, as nginx writes durations:
     * 500ms, 1s, 1m. Default 1s.</li>
     * <li><code>updateOrder</code>: start-first (a new task is healthy before the one it replaces stops, so the
     * tier never shrinks) or stop-first. Default start-first.</li>
     * <li><code>volumeDriver</code>: driver of the web and balancer data volumes. With local, each node has its
     * own volumes and the web tasks share one only with the tasks on their node; a driver that serves one
     * volume to every node (NFS, a cluster file system plugin) makes it one for the swarm. Default local.</li>
     * </ul>
     *
     * @since 0.3.0
     */
    @Parameter
    Swarm swarm = new Swarm();

    /**
     * Where render-config writes the build contexts, the compose file and the run's properties.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.outputDirectory", defaultValue = "${project.build.directory}/dlb")
    File outputDirectory;

    /**
     * Seconds start waits for every replica to answer through the balancer and to be in its rotation.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.readyTimeout", defaultValue = "60")
    int readyTimeout;

    /**
     * Keep the data volumes when the stack stops, for the next start to see.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.keepVolumes", defaultValue = "false")
    boolean keepVolumes;

    /**
     * Command-line override of replicas in web: <code>-Ddlb.web.replicas=5</code>.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.web.replicas")
    Integer replicasOverride;

    /**
     * Command-line override of port in balancer: <code>-Ddlb.balancer.port=8080</code>.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.balancer.port")
    Integer portOverride;

    /**
     * Command-line override of bindAddress in balancer: <code>-Ddlb.balancer.bindAddress=0.0.0.0</code>.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.balancer.bindAddress")
    String bindAddressOverride;

    /**
     * Command-line override of host in balancer, the host that <code>dlb.balancer.url</code> names:
     * <code>-Ddlb.balancer.host=build-host.example</code>.
     *
     * @since 0.2.0
     */
    @Parameter(property = "dlb.balancer.host")
    String hostOverride;

    /**
     * Command-line override of strategy in balancer: <code>-Ddlb.balancer.strategy=least-connections</code>.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.balancer.strategy")
    String strategyOverride;

    /**
     * Command-line override of accessLog in web: <code>-Ddlb.web.accessLog=off</code>.
     *
     * @since 0.2.0
     */
    @Parameter(property = "dlb.web.accessLog")
    String webAccessLogOverride;

    /**
     * Command-line override of accessLog in balancer: <code>-Ddlb.balancer.accessLog=off</code>.
     *
     * @since 0.2.0
     */
    @Parameter(property = "dlb.balancer.accessLog")
    String balancerAccessLogOverride;

    /**
     * Command-line override of binary in confd: <code>-Ddlb.confd.binary=/path/to/confd</code>.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.confd.binary")
    File confdBinaryOverride;

    /**
     * Command-line or POM-property override of builderImage in confd: <code>-Ddlb.confd.builderImage=golang:1.22-bookworm</code>.
     *
     * @since 0.2.0
     */
    @Parameter(property = "dlb.confd.builderImage")
    String confdBuilderImageOverride;

    private EngineEndpoint endpoint;

    private long startedNanos;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        startedNanos = System.nanoTime();
        if (getLog().isDebugEnabled()) {
            // from the process's start (mvnw execs java: its script included); JMX would cost this goal 0.1 s
            ProcessHandle.current().info().startInstant().ifPresent(started -> getLog().debug(
                    "dlb: trace the JVM ran " + Duration.between(started, Instant.now()).toMillis() + " ms before this goal"));
        }
        if (skipped()) {
            getLog().info("dlb: skipped");
            return;
        }
        if (reachesEngine()) {
            DockerJavaEngine.prepare();
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

    /**
     * Whether every run of the goal reaches the engine (all but render-config do): its client setup then begins beside the
     * goal's own first steps.
     */
    boolean reachesEngine() {
        return true;
    }

    /** " in N ms": the goal's own time so far, for its final log line (scripts/bench.sh reads it). */
    String sinceStart() {
        return " in " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms";
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

    /** The configured binary, or one for the engine's architecture from the local repository, built there once. */
    Path resolveConfd() throws ToolException {
        Path localRepository = Path.of(session.getLocalRepository().getBasedir());
        return new ConfdResolver(localRepository, session.isOffline(), () -> engine(engineSettings()), getLog()::info).resolve(confdSpec());
    }

    /** Renders and writes; shared with build-images so that a build never uses a stale context. */
    void render(StackSpec spec) throws IOException, ToolException {
        render(spec, Optional.of(resolveConfd()));
    }

    /** @param confd empty: everything but the confd binary, whose templates are then not checked either */
    void render(StackSpec spec, Optional<Path> confd) throws IOException {
        List<RenderedFile> files = new StackRenderer().render(spec, confd);
        int changed = new OutputTree(spec.outputDirectory()).write(files);
        getLog().info("dlb: rendered " + files.size() + " files to " + spec.outputDirectory() + " (" + changed + " changed)");
        if (confd.isPresent() && ConfdCheck.canRunHere(confd.get())) {
            ConfdCheck.check(confd.get(), spec.outputDirectory().resolve(StackRenderer.WEB).resolve("confd-etc"),
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

    /** With debug logging on (for this plugin alone: -Dorg.slf4j.simpleLogger.log.dev.dlb=debug), every call traced. */
    ContainerEngine engine(EngineSettings settings) {
        EngineEndpoint found = engineEndpoint();
        long connecting = System.nanoTime();
        ContainerEngine engine = DockerJavaEngine.connect(found, settings.timeouts());
        if (!getLog().isDebugEnabled()) {
            return engine;
        }
        getLog().debug(EngineTrace.line(connecting - startedNanos, "connect", "", System.nanoTime() - connecting));
        return EngineTrace.wrap(engine, System::nanoTime, startedNanos, getLog()::debug);
    }

    private SpecMapper mapper() {
        return new SpecMapper(project.getGroupId(), project.getArtifactId(), project.getVersion(), this);
    }
}
