package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An update keeps the registry's credentials: a swarm of a manager and one worker ({@link SwarmCluster}) with a registry
 * that refuses anyone without its password. The web tasks are placed on the worker, which never had the images: the first
 * deploy makes it pull them with the credentials of settings.xml. Then the worker loses the web image's tag, and a
 * redeploy with a new environment value (a rolling update, whose request carries no credentials) needs a new pull
 * there: it can only succeed if Swarm still pulls with the credentials the service was created with.
 */
class SwarmUpdateCredentialsIT {

    private static final String NAME = "swarm-update";
    private static final String PREFIX = System.getProperty("dlb.swarm.prefix", "dlb-swarm") + "-update";
    private static final Duration GOAL = Duration.ofMinutes(5);
    private static final SwarmCluster.Credentials REGISTRY_USER = new SwarmCluster.Credentials("dlb-ci", "s3cret-" + System.nanoTime());

    private static SwarmCluster swarm;
    private static Path project;
    private static Path settings;
    private static final List<ChildJvm> goals = new ArrayList<>();

    @BeforeAll
    static void aManagerAndAWorkerWithTheirPasswordRegistry() throws Exception {
        swarm = SwarmCluster.withStandins(PREFIX, 2, REGISTRY_USER);
        project = ChildMaven.project(NAME);
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom)
                .replace("<engines.hold></engines.hold>", "<engines.hold></engines.hold>\n    <greeting>hello</greeting>")
                .replace("<replicas>3</replicas>", "<replicas>2</replicas>\n            <environment><GREETING>${greeting}</GREETING></environment>")
                .replace("</balancer>", "</balancer>\n          <swarm><placement><constraint>node.role==worker</constraint></placement></swarm>"));
        settings = swarm.settings(project, REGISTRY_USER.user(), REGISTRY_USER.password());
    }

    @AfterAll
    static void removeTheSwarm() throws Exception {
        SwarmCluster.closeAfter(goals, swarm);
    }

    @Test
    void anUpdateStillPullsWithTheCredentialsOnANodeWithoutTheImage() throws Exception {
        InnerEngine worker = swarm.workers().get(0);
        String image = swarm.registry() + "/dlb/" + NAME + "-web:1.0";
        assertNotEquals(0, worker.docker("image", "inspect", image).exitCode(), "the worker starts without the image");

        goal("deploy", List.of());
        assertEquals(0, worker.docker("image", "inspect", image).exitCode(), "the first deploy made the worker pull the image");
        DockerCli.Result anonymous = worker.docker("pull", image);
        assertTrue(anonymous.exitCode() != 0 && anonymous.output().toLowerCase(Locale.ROOT).contains("auth"),
                "the registry refuses whoever has no credentials: " + anonymous.output());

        worker.docker("rmi", "-f", image).requireSuccess("docker rmi -f " + image);
        assertNotEquals(0, worker.docker("image", "inspect", image).exitCode(), "the worker lost the image's tag");
        ChildJvm update = goal("update", List.of("-Dgreeting=bonjour"));

        assertTrue(update.saw(l -> l.contains("dlb: updating service " + NAME + "_web")), "the redeploy updated the service in place");
        assertTrue(update.saw(l -> l.contains("dlb: 2 replicas answering through")), "every slot answers after the update");
        assertEquals(0, worker.docker("image", "inspect", image).exitCode(), "the worker pulled the image again, with the service's credentials");
        String environment = swarm.manager().docker("service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}",
                NAME + "_web").requireSuccess("docker service inspect").output();
        assertTrue(environment.contains("GREETING=bonjour"), "the new value reached the service: " + environment);
        List<String> running = swarm.manager().docker("service", "ps", "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}",
                NAME + "_web").requireSuccess("docker service ps").output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, running.stream().filter(l -> l.startsWith(worker.container + " Running")).count(), "both tasks run on the worker: " + running);

        goal("undeploy", List.of());
        assertEquals("", swarm.manager().docker("service", "ls", "-q").requireSuccess("docker service ls").output().strip(), "no service left");
    }

    private static ChildJvm goal(String run, List<String> properties) throws Exception {
        List<String> args = new ArrayList<>(List.of(run.equals("undeploy") ? "dlb:undeploy" : "dlb:deploy", "-s", settings.toString(),
                "-Ddlb.registry=" + swarm.registry(), "-Ddlb.balancer.port=" + swarm.manager().publishedPort, "-Ddlb.balancer.host=127.0.0.1",
                "-Ddlb.readyTimeout=180"));
        args.addAll(properties);
        ChildJvm goal = ChildMaven.start(NAME + "-" + run, project, Map.of("DOCKER_HOST", swarm.manager().host()), args);
        goals.add(goal);
        assertEquals(0, goal.awaitExit(GOAL), "mvn " + String.join(" ", args) + " passes");
        return goal;
    }
}
