package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.EngineException;
import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void aPortTakenOnThisMachineIsNamedForAnEngineOnThisMachineOnly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BalancerSpec local = spec().bindAddress("127.0.0.1").port(taken.getLocalPort()).stack().balancer();
            BalancerSpec remote = spec().bindAddress("127.0.0.1").port(taken.getLocalPort()).reach("docker", false).stack().balancer();

            Problem problem = assertThrows(InvalidSpecException.class, () -> PortCheck.requireFree(local)).problems().get(0);
            assertEquals("<balancer><port>", problem.xmlPath());
            assertDoesNotThrow(() -> PortCheck.requireFree(remote), "the engine's 127.0.0.1 is not this machine's");
        }
    }

    @Test
    void whatTheEngineSaysWhenThePortIsTakenThereNamesThePort() {
        BalancerSpec balancer = spec().bindAddress("0.0.0.0").port(18080).reach("docker", false).stack().balancer();
        for (String said : new String[] {
                "driver failed programming external connectivity on endpoint b (1f): Bind for 0.0.0.0:18080 failed: port is already allocated",
                "driver failed programming external connectivity on endpoint b (1f): Error starting userland proxy: listen tcp4 "
                        + "0.0.0.0:18080: bind: address already in use"}) {
            Problem problem = PortCheck.refusal(new EngineException(said), balancer).orElseThrow().problems().get(0);

            assertEquals("<balancer><port>", problem.xmlPath());
            assertEquals("18080", problem.value());
            assertTrue(problem.reason().startsWith("the engine cannot publish the balancer on 0.0.0.0:18080: the port is taken on the "
                    + "engine's machine (" + said), problem::reason);
            assertTrue(problem.fix().contains("-Ddlb.balancer.port=0"), problem::fix);
        }
    }

    @Test
    void whatTheEngineSaysOfAnAddressNotItsOwnNamesTheBindAddress() {
        BalancerSpec balancer = spec().bindAddress("10.9.9.9").port(18080).reach("docker", false).stack().balancer();

        Problem problem = PortCheck.refusal(new EngineException("Error starting userland proxy: listen tcp4 10.9.9.9:18080: bind: cannot "
                + "assign requested address"), balancer).orElseThrow().problems().get(0);

        assertEquals("<balancer><bindAddress>", problem.xmlPath());
        assertEquals("10.9.9.9", problem.value());
        assertEquals(Optional.empty(), PortCheck.refusal(new EngineException("no such image"), balancer));
    }
}
