package dev.dlb.core.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ServicePlan;
import dev.dlb.core.run.Labels;
import dev.dlb.core.run.StackException;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.FakeProbe;
import dev.dlb.core.testing.FakeTime;
import dev.dlb.core.testing.SpecBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwarmDeployerTest {

    private final FakeEngine engine = FakeEngine.withStackImages();
    private final FakeTime time = new FakeTime();
    private final List<String> log = new ArrayList<>();

    private static SwarmDeployment deployment(int replicas) {
        StackSpec spec = SpecBuilder.spec().replicas(replicas).port(8080).readyTimeout(Duration.ofSeconds(20)).stack();
        return DeployRequest.plan(spec, "reg.example:5000", Optional.of(new RegistryAuth("reg.example:5000", "ci", "secret")), "127.0.0.1");
    }

    private SwarmDeployer deployer(FakeProbe probe) {
        return new SwarmDeployer(engine, probe, time.pacer(), log::add);
    }

    @Test
    void aFirstDeployPushesBothImagesCreatesNetworksAndServicesAndWaitsForEverySlot() throws Exception {
        DeployedStack stack = deployer(FakeProbe.roundRobin("web-1", "web-2", "web-3")).deploy(deployment(3));

        assertEquals(List.of("reg.example:5000/dlb/shop-web:1.0.0-SNAPSHOT as ci", "reg.example:5000/dlb/shop-balancer:1.0.0-SNAPSHOT as ci"),
                engine.pushed());
        ServicePlan web = engine.service("shop_web").orElseThrow();
        assertEquals(3, web.replicas());
        assertEquals("web-{{.Task.Slot}}", web.environment().get("DLB_REPLICA_NAME"));
        assertEquals(List.of("shop_dlb-web"), web.networks());
        assertTrue(web.update().startFirst(), "rolling updates start the new task first");
        assertEquals(Optional.of(new ServicePlan.HostPort(80, 8080)), engine.service("shop_balancer").orElseThrow().publish());
        assertEquals(URI.create("http://127.0.0.1:8080/"), stack.balancerUrl());
        assertFalse(stack.updated());
        assertEquals(List.of("node1", "node2"), stack.nodes());
        assertTrue(log.contains("3 replicas answering through http://127.0.0.1:8080/"), log.toString());
    }

    @Test
    void aSecondDeployUpdatesTheServicesInPlace() throws Exception {
        deployer(FakeProbe.roundRobin("web-1", "web-2", "web-3")).deploy(deployment(3));
        DeployedStack stack = deployer(FakeProbe.roundRobin("web-1", "web-2", "web-3", "web-4", "web-5")).deploy(deployment(5));

        assertTrue(stack.updated());
        assertEquals(5, engine.service("shop_web").orElseThrow().replicas());
        assertTrue(engine.calls().contains("update service shop_web"), engine.calls().toString());
        assertEquals(1, engine.calls().stream().filter(c -> c.startsWith("create service shop_web")).count(), "created once");
    }

    @Test
    void aReplicaThatNeverAnswersFailsTheDeployAndRemovesWhatItCreated() throws Exception {
        StackException e = assertThrows(StackException.class, () -> deployer(FakeProbe.roundRobin("web-1", "web-2")).deploy(deployment(3)));

        assertTrue(e.getMessage().contains("never seen [web-3]"), e.getMessage());
        assertTrue(e.getMessage().contains("the tasks of shop_balancer: [slot 1 running]"), e.getMessage());
        assertTrue(e.getMessage().contains("Removed what it had created: [service shop_balancer, service shop_web, network shop_dlb-web, "
                + "network shop_dlb, volume shop_web-data, volume shop_balancer-data]."), e.getMessage());
        assertEquals(List.of(), engine.live(), "nothing left, the volumes the tasks made included");
    }

    @Test
    void aFailedFirstDeployKeepsAVolumeThatWasThereBefore() throws Exception {
        engine.add(Resource.Kind.VOLUME, "shop_web-data", Labels.project(SpecBuilder.PROJECT));

        StackException e = assertThrows(StackException.class, () -> deployer(FakeProbe.roundRobin()).deploy(deployment(1)));

        assertFalse(e.getMessage().contains("volume shop_web-data"), e.getMessage());
        assertEquals(List.of("volume shop_web-data"), engine.live().stream().map(Object::toString).toList());
    }

    @Test
    void aRefusedServiceRemovesTheNetworksAndTheServiceMadeBeforeIt() throws Exception {
        engine.refuseService("shop_balancer");

        StackException e = assertThrows(StackException.class, () -> deployer(FakeProbe.roundRobin("web-1")).deploy(deployment(1)));

        assertTrue(e.getMessage().startsWith("The deploy failed: Docker could not create service shop_balancer"), e.getMessage());
        assertEquals(List.of(), engine.live());
    }

    @Test
    void anEngineThatIsNoManagerFailsBeforeAnythingIsPushed() {
        engine.swarmNodes();
        assertThrows(EngineException.class, () -> deployer(FakeProbe.roundRobin("web-1")).deploy(deployment(1)));
        assertEquals(List.of(), engine.pushed());
    }

    @Test
    void undeployRemovesServicesThenNetworksAndIsIdempotent() throws Exception {
        deployer(FakeProbe.roundRobin("web-1")).deploy(deployment(1));

        assertEquals(List.of("service shop_web", "service shop_balancer", "network shop_dlb", "network shop_dlb-web"),
                deployer(FakeProbe.roundRobin()).undeploy(SpecBuilder.PROJECT).stream().map(Object::toString).toList());
        assertEquals(List.of("volume shop_web-data", "volume shop_balancer-data"), engine.live().stream().map(Object::toString).toList(),
                "the data volumes stay, as after docker stack rm");
        assertEquals(List.of(), deployer(FakeProbe.roundRobin()).undeploy(SpecBuilder.PROJECT));
    }

    @Test
    void badInputNamesItsXmlPathBeforeAnythingIsCreated() {
        StackSpec spec = SpecBuilder.spec().port(0).stack();
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> DeployRequest.plan(spec, "http://reg.example/", Optional.empty(), "127.0.0.1"));
        assertTrue(e.getMessage().contains("<registry>") && e.getMessage().contains("http://reg.example/"), e.getMessage());
        assertTrue(e.getMessage().contains("<balancer><port>"), e.getMessage());
        InvalidSpecException none = assertThrows(InvalidSpecException.class, () -> DeployRequest.plan(spec.withBalancer(
                spec.balancer()), " ", Optional.empty(), "127.0.0.1"));
        assertTrue(none.getMessage().contains("<registry>") && none.getMessage().contains("-Ddlb.registry"), none.getMessage());
    }

    @Test
    void anImageNamingItsOwnRegistryKeepsOnlyItsPath() {
        assertEquals("reg:5000/team/web:1", SwarmPlans.remote("reg:5000", "old.example/team/web:1"));
        assertEquals("reg:5000/dlb/web:1", SwarmPlans.remote("reg:5000", "dlb/web:1"));
    }
}
