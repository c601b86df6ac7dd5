package dev.dlb.system;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.render.OutputTree;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.run.ImageBuilder;
import dev.dlb.core.run.ImageBuilder.ImageRequest;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Labels;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.run.StackStarter;
import dev.dlb.core.run.StackStopper;
import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.BalancerTuning;
import dev.dlb.core.spec.HealthCheck;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.WebSpec;
import dev.dlb.core.testing.Owners;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The system tests' way to a real stack: real engine, images built from the stand-in bases with the
 * real confd binary (once; later calls find them up to date), and a project id per test class so
 * that every test can prove it left nothing of its own behind.
 */
public final class RealStack {

    /** -Ddlb.systemtest.tag keeps the images of two checkouts tested side by side on one engine apart. */
    private static final String TAG = System.getProperty("dlb.systemtest.tag", "latest");
    public static final String WEB_IMAGE = "dlb/system-test-web:" + TAG;
    public static final String BALANCER_IMAGE = "dlb/system-test-balancer:" + TAG;

    private RealStack() {
    }

    /** A valid 3-replica round-robin spec for {@code name}, rendered under target/system/NAME. */
    public static StackSpec spec(String name) {
        return spec(name, 3, "round-robin", true);
    }

    public static StackSpec spec(String name, int replicas, String strategy, boolean retry) {
        return spec(name, replicas, strategy, retry, new Bases(property("dlb.standin.httpd"), property("dlb.standin.nginx"), WEB_IMAGE,
                BALANCER_IMAGE));
    }

    /**
     * A round-robin spec on the stand-ins whose only shell is BusyBox, with no bash, curl or wget of Debian's
     * (scripts/env/busybox-images.sh), and images of its own.
     */
    public static StackSpec onBusyBox(String name, int replicas) {
        return spec(name, replicas, "round-robin", true, new Bases(property("dlb.standin.httpd.busybox"),
                property("dlb.standin.nginx.busybox"), "dlb/system-test-busybox-web:" + TAG, "dlb/system-test-busybox-balancer:" + TAG));
    }

    private record Bases(String web, String balancer, String webImage, String balancerImage) {
    }

    private static StackSpec spec(String name, int replicas, String strategy, boolean retry, Bases bases) {
        WebSpec web = new WebSpec(replicas, bases.web(), bases.webImage(), Optional.empty(), Optional.empty(),
                new TreeMap<>(), new TreeMap<>(), new Limits("256m", 512), 256);
        BalancerSpec balancer = new BalancerSpec(bases.balancer(), bases.balancerImage(), "127.0.0.1", 0, strategy,
                new Limits("128m", 128), retry, BalancerTuning.DEFAULTS, HealthCheck.DEFAULTS);
        return new StackSpec(projectId(name), name, Path.of("target", "system", name).toAbsolutePath(), web, balancer,
                Duration.ofSeconds(60), false);
    }

    /**
     * The same stack as the plugin ran it before the balancer was made to hold load and hung replicas:
     * nginx's passive check on every failure ({@code max_fails=1 fail_timeout=2s}), its default 60 s read
     * timeout, 16 idle upstream connections, 1024 connections per worker, no health check, and httpd's own
     * keepalive and MPM settings. Controls run it to show that the tests can fail.
     */
    public static StackSpec asBeforeTheFix(StackSpec spec) {
        return spec.withWeb(spec.web().withWorkers(0)).withBalancer(spec.balancer().withTuning(
                new BalancerTuning("1s", "60s", 1, "2s", 1024, 16), new HealthCheck(false, "1s", "2s", 2)));
    }

    /** The same spec with the keep-volumes option on: stop leaves the project's data volumes for the next start. */
    public static StackSpec keepingVolumes(StackSpec spec) {
        return new StackSpec(spec.projectId(), spec.name(), spec.outputDirectory(), spec.web(), spec.balancer(), spec.readyTimeout(),
                true);
    }

    public static String projectId(String name) {
        return "dev.dlb.system:" + name;
    }

    public static Path confdBinary() {
        return Path.of(property("dlb.confd.binary"));
    }

    public static ContainerEngine engine() {
        return DockerJavaEngine.fromEnvironment();
    }

    /** Renders the spec and builds both images unless they are up to date. */
    public static void buildImages(ContainerEngine engine, StackSpec spec) throws Exception {
        new OutputTree(spec.outputDirectory()).write(new StackRenderer().render(spec, confdBinary()));
        ImageBuilder builder = new ImageBuilder(engine, false, line -> { });
        builder.build(spec.outputDirectory().resolve(StackRenderer.WEB),
                new ImageRequest(spec.web().image(), spec.web().baseImage(), "<web><baseImage>", spec.projectId()));
        builder.build(spec.outputDirectory().resolve(StackRenderer.BALANCER),
                new ImageRequest(spec.balancer().image(), spec.balancer().baseImage(), "<balancer><baseImage>", spec.projectId()));
    }

    /** Builds if needed, then starts the stack in this JVM (owned by this JVM, no watchdog). */
    public static RunningStack start(ContainerEngine engine, StackSpec spec, String session) throws Exception {
        buildImages(engine, spec);
        return new StackStarter(engine, new JdkHttpProbe(), Pacer.system(), System.out::println)
                .start(spec, session, Owners.me());
    }

    /** Everything of the project still in the engine: containers, networks, volumes. */
    public static List<Resource> leftovers(ContainerEngine engine, String projectId) throws EngineException {
        return engine.list(Labels.project(projectId));
    }

    public static void removeAll(ContainerEngine engine, String projectId) throws EngineException {
        new StackStopper(engine, System.out::println).stopAll(projectId, false);
    }

    /** Labels of one session, for finding its containers. */
    public static Map<String, String> session(String projectId, String session) {
        return Labels.session(projectId, session);
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the system tests through failsafe (mvn verify)");
        }
        return value;
    }
}
