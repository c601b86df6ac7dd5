package dev.dlb.maven;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.BalancerTuning;
import dev.dlb.core.spec.HealthCheck;
import dev.dlb.core.spec.Limits;
import dev.dlb.core.spec.Reach;
import dev.dlb.core.spec.ConfdSpec;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.SwarmSpec;
import dev.dlb.core.spec.WebSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.testing.MojoRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** How the POM's {@code <configuration>}, the defaults and {@code -D} properties reach the spec. */
public class ParameterBindingHarnessTest {

    @Rule
    public MojoRule rule = new MojoRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void nestedBlocksOfThePomConfigurationBindToTheSpec() throws Exception {
        HarnessProject configured = HarnessProject.copyOf("configured", rule, tmp);
        RenderConfigMojo mojo = configured.mojo("render-config");

        StackSpec spec = mojo.stackSpec();

        Path basedir = configured.basedir();
        assertEquals("dev.dlb.harness:harness-configured", spec.projectId());
        assertEquals(basedir.resolve("target/dlb"), spec.outputDirectory());
        assertEquals(Duration.ofSeconds(15), spec.readyTimeout());
        assertTrue("<keepVolumes>", spec.keepVolumes());
        WebSpec web = spec.web();
        assertEquals(2, web.replicas());
        assertEquals("httpd:2.4.62-alpine", web.baseImage());
        assertEquals("example/site-web:7", web.image());
        assertEquals("a relative <contentDirectory> is resolved against the project's basedir",
                Optional.of(basedir.resolve("src/dlb/content")), web.contentDirectory());
        assertEquals(Optional.empty(), web.confdDirectory());
        assertEquals(Map.of("COLOR", "blue", "GREETING", "hello"), web.environment());
        assertEquals(Map.of(2, Map.of("COLOR", "green")), web.replicaEnvironment());
        assertEquals(Map.of("COLOR", "green", "GREETING", "hello"), web.environmentOf(2));
        assertEquals(128, web.workers());
        assertEquals(new BalancerSpec("nginx:1.27.5", "example/site-balancer:7", "0.0.0.0", 18080, "least-connections", new Limits("128m", 128), true,
                new BalancerTuning("500ms", "30s", 3, "20s", 2048, 32), new HealthCheck(true, "500ms", "1s", 3)), spec.balancer());
        assertEquals(Optional.of(basedir.resolve("fake-confd")), mojo.confdSpec().binary());
        assertEquals(new SwarmSpec(List.of("node.labels.tier==web", "node.role!=manager"), List.of("node.hostname==edge-1"), 2, "5s",
                "stop-first", "vieux/sshfs"), spec.swarm());
    }

    @Test
    public void withNothingConfiguredTheSpecHoldsTheDefaults() throws Exception {
        HarnessProject defaults = HarnessProject.copyOf("defaults", rule, tmp);
        RenderConfigMojo mojo = defaults.mojo("render-config");
        StackSpec spec = mojo.stackSpec();

        assertFalse("dlb.skip", mojo.skip);
        assertEquals(defaults.outputDirectory(), spec.outputDirectory());
        assertEquals(Duration.ofSeconds(60), spec.readyTimeout());
        assertFalse("keepVolumes", spec.keepVolumes());
        assertEquals("harness-defaults", spec.name());
        WebSpec web = spec.web();
        assertEquals(3, web.replicas());
        assertEquals("httpd:2.4.65", web.baseImage());
        assertEquals("dlb/harness-defaults-web:1.2.3", web.image());
        assertEquals(Optional.empty(), web.contentDirectory());
        assertEquals(Optional.empty(), web.confdDirectory());
        assertTrue(web.environment().isEmpty());
        assertTrue(web.replicaEnvironment().isEmpty());
        assertEquals(SwarmSpec.DEFAULTS, spec.swarm());
        assertEquals(new BalancerSpec("nginx:1.28.0", "dlb/harness-defaults-balancer:1.2.3", "127.0.0.1", 0, "round-robin", new Limits("128m", 128), true, BalancerTuning.DEFAULTS, HealthCheck.DEFAULTS),
                spec.balancer());
        assertEquals(new ConfdSpec(Optional.empty(), "0.30.0", "golang:1.22-bookworm"), mojo.confdSpec());
    }

    @Test
    public void aPomPropertyNamesTheConfdBuilderImageWithoutAConfdBlock() throws Exception {
        RenderConfigMojo mojo = HarnessProject.copyOf("confd-builder-property", rule, tmp).mojo("render-config");

        assertEquals(new ConfdSpec(Optional.empty(), "0.30.0", "dlb-standin-golang:1.22-bookworm"), mojo.confdSpec());
    }

    @Test
    public void commandLinePropertiesWinOverThePom() throws Exception {
        HarnessProject configured = HarnessProject.copyOf("configured", rule, tmp);
        Path otherConfd = tmp.newFile("other-confd").toPath();
        configured.commandLine("dlb.web.replicas", "5")
                .commandLine("dlb.balancer.port", "19090")
                .commandLine("dlb.balancer.bindAddress", "127.0.0.1")
                .commandLine("dlb.balancer.strategy", "ip-hash")
                .commandLine("dlb.confd.binary", otherConfd.toString())
                .commandLine("dlb.confd.builderImage", "dlb-standin-golang:1.22-bookworm")
                .commandLine("dlb.readyTimeout", "90");
        RenderConfigMojo mojo = configured.mojo("render-config");

        StackSpec spec = mojo.stackSpec();

        assertEquals(5, spec.web().replicas());
        assertEquals(new BalancerSpec("nginx:1.27.5", "example/site-balancer:7", "127.0.0.1", 19090, "ip-hash", new Limits("128m", 128), true,
                new BalancerTuning("500ms", "30s", 3, "20s", 2048, 32), new HealthCheck(true, "500ms", "1s", 3)), spec.balancer());
        assertEquals(new ConfdSpec(Optional.of(otherConfd), "0.30.0", "dlb-standin-golang:1.22-bookworm"), mojo.confdSpec());
        assertEquals("a -D of a parameter the POM also sets: the POM wins, as in Maven",
                Duration.ofSeconds(15), spec.readyTimeout());
        assertEquals("values with no -D override stay as configured", "httpd:2.4.62-alpine", spec.web().baseImage());
    }

    /** A TCP engine's loopback is not the build's: published on every address of it, reached at its host. */
    @Test
    public void anEngineReachedOverTcpChangesWhereTheBalancerIsPublishedAndReached() throws Exception {
        HarnessProject defaults = HarnessProject.copyOf("defaults", rule, tmp).commandLine("DOCKER_HOST", "tcp://engine.example:2375");

        assertEquals(new Reach("engine.example", false), balancer(defaults).reach());
        assertEquals("0.0.0.0", balancer(defaults).bindAddress());
        defaults.commandLine("dlb.balancer.host", "10.1.1.1").commandLine("dlb.balancer.bindAddress", "10.1.1.1");
        assertEquals(new Reach("10.1.1.1", false), balancer(defaults).reach());
        assertEquals("10.1.1.1", balancer(defaults).bindAddress());
    }

    @Test
    public void theBalancerHostOfAnEngineOnThisMachineIsWhatTheBuildNames() throws Exception {
        HarnessProject defaults = HarnessProject.copyOf("defaults", rule, tmp).commandLine("DOCKER_HOST", "unix:///run/engine.sock");

        assertEquals(new Reach("127.0.0.1", true), balancer(defaults).reach());
        assertEquals("127.0.0.1", balancer(defaults).bindAddress());
        assertEquals(new Reach("my-laptop", true), balancer(defaults.commandLine("dlb.balancer.host", "my-laptop")).reach());
    }

    private static BalancerSpec balancer(HarnessProject project) throws Exception {
        RenderConfigMojo mojo = project.mojo("render-config");
        return new SpecMapper(mojo.project.getGroupId(), mojo.project.getArtifactId(), mojo.project.getVersion(), mojo).stack().balancer();
    }
}
