package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;

/**
 * A first {@code dlb:deploy} that fails on a real swarm: one node ({@link SwarmCluster} of one Docker engine in a
 * container, its manager) with its password registry. The balancer's placement names a node label that no node has
 * (a typo in a POM is enough): its task stays pending on "no suitable node", while the web tasks start on the node and
 * make their volume there; no replica ever answers through the balancer's port, so the deploy's wait for readiness
 * ends. The goal fails naming the cause (the pending task and Swarm's reason) and the fix, and leaves nothing of the
 * stack on the engine: no service, task container, network, config, secret, or volume. The registry's password is
 * encrypted in settings.xml ({...}, with a settings-security.xml that {@code -Dsettings.security} names): the push, which
 * the registry refuses to anyone without it, proves that the goal decrypted it.
 */
class SwarmDeployFailureIT {

    private static final String NAME = "swarm-fail";
    private static final String PREFIX = System.getProperty("dlb.swarm.prefix", "dlb-swarm") + "-fail";
    private static final Duration GOAL = Duration.ofMinutes(5);
    private static final String READY_TIMEOUT = "40";
    private static final SwarmCluster.Credentials REGISTRY_USER = new SwarmCluster.Credentials("dlb-ci", "s3cret-" + System.nanoTime());

    private static SwarmCluster swarm;
    private static Path project;
    private static Path settings;
    private static Path security;
    private static final List<ChildJvm> goals = new ArrayList<>();

    @BeforeAll
    static void aOneNodeSwarmWithItsPasswordRegistry() throws Exception {
        swarm = SwarmCluster.withStandins(PREFIX, 1, REGISTRY_USER);
        project = ChildMaven.project(NAME);
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("</balancer>",
                "</balancer>\n          <swarm><balancerPlacement><constraint>node.labels.dlb-edge==true</constraint></balancerPlacement></swarm>"));
        // as mvn --encrypt-master-password and mvn --encrypt-password write them
        DefaultPlexusCipher cipher = new DefaultPlexusCipher();
        String master = "master-" + System.nanoTime();
        security = Files.writeString(project.resolve("settings-security.xml"), "<settingsSecurity><master>"
                + cipher.encryptAndDecorate(master, "settings.security") + "</master></settingsSecurity>\n");
        settings = swarm.settings(project, REGISTRY_USER.user(), cipher.encryptAndDecorate(REGISTRY_USER.password(), master));
    }

    @AfterAll
    static void removeTheSwarm() throws Exception {
        SwarmCluster.closeAfter(goals, swarm);
    }

    @Test
    void aFirstDeployWhoseBalancerCannotBePlacedFailsNamingCauseAndFixAndLeavesNothing() throws Exception {
        List<String> args = List.of("dlb:deploy", "-s", settings.toString(), "-Dsettings.security=" + security, "-Ddlb.registry=" + swarm.registry(),
                "-Ddlb.balancer.port=" + swarm.manager().publishedPort, "-Ddlb.balancer.host=127.0.0.1", "-Ddlb.readyTimeout=" + READY_TIMEOUT);
        ChildJvm deploy = ChildMaven.start(NAME + "-deploy", project, Map.of("DOCKER_HOST", swarm.manager().host()), args);
        goals.add(deploy);

        assertNotEquals(0, deploy.awaitExit(GOAL), "the deploy fails");
        String error = deploy.first(l -> l.contains("The deploy failed")).orElseThrow(() -> new AssertionError("no failure message"));
        System.out.println("SwarmDeployFailureIT: " + error);
        assertTrue(deploy.saw(l -> l.contains("dlb: pushing " + swarm.registry() + "/dlb/" + NAME + "-web:1.0 as " + REGISTRY_USER.user())),
                "the images were pushed first, with the settings.xml credentials, the password decrypted");
        assertTrue(error.contains("not every replica answered through http://127.0.0.1:" + swarm.manager().publishedPort + "/ within "
                + READY_TIMEOUT + " s: never seen [web-1, web-2, web-3]"), "the failure: " + error);
        assertTrue(error.contains("the tasks of " + NAME + "_balancer: [slot 1 pending (no suitable node"), "its cause, Swarm's reason: " + error);
        assertTrue(error.contains("Fix: read docker service ps " + NAME + "_web " + NAME + "_balancer on a manager (a task pending on \"no suitable "
                + "node\" wants a placement constraint that some node meets)"), "the fix: " + error);
        assertTrue(error.contains("Removed what it had created: [service " + NAME + "_balancer, service " + NAME + "_web, network "
                + NAME + "_dlb-web, network " + NAME + "_dlb, volume " + NAME + "_web-data"), "what it removed, the web tasks' volume too: " + error);

        InnerEngine node = swarm.manager();
        for (String kind : List.of("service", "config", "secret")) {
            assertEquals(List.of(), names(node, kind, "ls", "--format", "{{.Name}}"), "no " + kind + " left");
        }
        assertEquals(List.of(), names(node, "container", "ls", "-a", "--format", "{{.Names}}"), "no task container left");
        assertEquals(List.of(), node.leftovers(RealStack.projectId(NAME)), "no network or volume of the project, by label or name");
        assertEquals(List.of(), names(node, "volume", "ls", "--format", "{{.Name}}").stream().filter(v -> v.startsWith(NAME + "_")).toList(),
                "no volume of the stack");
        assertEquals(List.of(), names(node, "network", "ls", "--format", "{{.Name}}").stream().filter(n -> n.startsWith(NAME + "_")).toList(),
                "no network of the stack");
    }

    private static List<String> names(InnerEngine node, String... list) throws Exception {
        return node.docker(list).requireSuccess("docker " + String.join(" ", list)).output().lines().filter(l -> !l.isBlank()).toList();
    }
}
