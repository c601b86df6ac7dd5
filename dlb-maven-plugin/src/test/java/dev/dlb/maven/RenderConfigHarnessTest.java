package dev.dlb.maven;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.testing.MojoRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.yaml.snakeyaml.Yaml;

/** render-config run from a test POM: the files it writes carry the configured values; bad configuration fails the build. */
public class RenderConfigHarnessTest {

    @Rule
    public MojoRule rule = new MojoRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void withNoEngineToBuildConfdForEverythingElseIsWritten() throws Exception {
        // nothing listens on the discard port: the engine refuses at once
        HarnessProject defaults = HarnessProject.copyOf("defaults", rule, tmp).commandLine("DOCKER_HOST", "tcp://127.0.0.1:9");

        defaults.mojo("render-config").execute();

        Path out = defaults.outputDirectory();
        for (String file : List.of("web/Dockerfile", "web/dlb-entrypoint.sh", "balancer/Dockerfile", "balancer/dlb-watch.sh",
                "balancer/confd-etc/templates/dlb-back.conf.tmpl", "docker-compose.yml", "docker-stack.yml")) {
            assertTrue(file, Files.isRegularFile(out.resolve(file)));
        }
        assertFalse("no confd for an engine that did not answer", Files.exists(out.resolve("web/confd")));
        assertFalse(Files.exists(out.resolve("balancer/confd")));
    }

    @Test
    public void writesBothBuildContextsAndTheComposeFileWithTheConfiguredValues() throws Exception {
        HarnessProject configured = HarnessProject.copyOf("configured", rule, tmp);

        configured.mojo("render-config").execute();

        Path out = configured.outputDirectory();
        assertTrue(Files.readString(out.resolve("web/Dockerfile")).contains("\nFROM httpd:2.4.62-alpine\n"));
        assertTrue(Files.readString(out.resolve("balancer/Dockerfile")).contains("\nFROM nginx:1.27.5\n"));
        byte[] confd = Files.readAllBytes(configured.basedir().resolve("fake-confd"));
        assertArrayEquals(confd, Files.readAllBytes(out.resolve("web/confd")));
        assertArrayEquals(confd, Files.readAllBytes(out.resolve("balancer/confd")));
        assertTrue("confd is executable in the build context", Files.isExecutable(out.resolve("web/confd")));
        assertEquals(Files.readString(configured.basedir().resolve("src/dlb/content/index.html")),
                Files.readString(out.resolve("web/content/index.html")));

        Map<String, Map<String, Object>> services = services(out.resolve("docker-compose.yml"));
        assertEquals(List.of("web-1", "web-2", "balancer"), List.copyOf(services.keySet()));
        assertEquals("example/site-web:7", services.get("web-1").get("image"));
        assertEquals(Map.of("COLOR", "blue", "GREETING", "hello", "DLB_REPLICA", "1", "DLB_REPLICA_NAME", "web-1", "DLB_HTTPD_WORKERS", "128",
                "DLB_ACCESS_LOG", "on"),
                services.get("web-1").get("environment"));
        assertEquals(Map.of("COLOR", "green", "GREETING", "hello", "DLB_REPLICA", "2", "DLB_REPLICA_NAME", "web-2", "DLB_HTTPD_WORKERS", "128",
                "DLB_ACCESS_LOG", "on"),
                services.get("web-2").get("environment"));
        Map<String, Object> balancer = services.get("balancer");
        assertEquals("example/site-balancer:7", balancer.get("image"));
        assertEquals(List.of("0.0.0.0:18080:80"), balancer.get("ports"));
        assertEquals(Map.ofEntries(Map.entry("DLB_RETRY", "on"), Map.entry("DLB_RETRY_TRIES", "3"), Map.entry("DLB_STRATEGY", "least-connections"),
                Map.entry("DLB_UPSTREAMS", "web-1,web-2"), Map.entry("DLB_CONNECT_TIMEOUT", "500ms"), Map.entry("DLB_READ_TIMEOUT", "30s"), Map.entry("DLB_FRONT_TIMEOUT", "96500ms"),
                Map.entry("DLB_MAX_FAILS", "3"), Map.entry("DLB_FAIL_TIMEOUT", "20s"), Map.entry("DLB_WORKER_CONNECTIONS", "2048"),
                Map.entry("DLB_UPSTREAM_KEEPALIVE", "32"), Map.entry("DLB_HEALTH_CHECK", "on"), Map.entry("DLB_HEALTH_INTERVAL", "0.500"),
                Map.entry("DLB_HEALTH_TIMEOUT", "1"), Map.entry("DLB_HEALTH_FAILURES", "3"), Map.entry("DLB_ACCESS_LOG", "off")),
                balancer.get("environment"));
    }

    @Test
    public void writesTheStackFileWithTheConfiguredSwarmSettings() throws Exception {
        HarnessProject configured = HarnessProject.copyOf("configured", rule, tmp);

        configured.mojo("render-config").execute();

        String text = Files.readString(configured.outputDirectory().resolve("docker-stack.yml"));
        assertTrue(text, text.contains("\nversion: \"3.9\"\n"));
        assertTrue("per-replica environment is not carried, and the file says so", text.contains("# Note: <web><replicaEnvironments> (replicas [2])"));
        Map<String, Map<String, Object>> services = services(configured.outputDirectory().resolve("docker-stack.yml"));
        assertEquals(List.of("web", "balancer"), List.copyOf(services.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> deploy = (Map<String, Object>) services.get("web").get("deploy");
        assertEquals(2, deploy.get("replicas"));
        assertEquals(Map.of("constraints", List.of("node.labels.tier==web", "node.role!=manager")), deploy.get("placement"));
        assertEquals(Map.of("parallelism", 2, "delay", "5s", "order", "stop-first", "failure_action", "rollback", "monitor", "5s"),
                deploy.get("update_config"));
        assertEquals(List.of(Map.of("target", 80, "published", 18080, "protocol", "tcp", "mode", "host")), services.get("balancer").get("ports"));
    }

    @Test
    public void zeroReplicasFailsTheBuildNamingTheXmlPathAndWritesNothing() throws Exception {
        HarnessProject bad = HarnessProject.copyOf("bad-replicas", rule, tmp);
        RenderConfigMojo mojo = bad.mojo("render-config");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage(), e.getMessage().contains("<web><replicas>"));
        assertFalse(Files.exists(bad.outputDirectory()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(Path composeFile) throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(composeFile));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }
}
