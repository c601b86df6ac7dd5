package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlb.core.spec.Reach;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the balancer is published and reached, for an engine on this machine and for one reached over TCP. */
class EngineEndpointTest {

    private static final EngineEndpoint SOCKET = endpoint("unix:///var/run/docker.sock");
    private static final EngineEndpoint TCP = endpoint("tcp://docker:2375");

    @Test
    void anEngineOnThisMachinePublishesOnTheLoopbackAndIsReachedWhereItBinds() {
        assertEquals("127.0.0.1", SOCKET.defaultBindAddress());
        assertEquals(new Reach("127.0.0.1", true), SOCKET.reach("127.0.0.1", Optional.empty()));
        assertEquals(new Reach("127.0.0.1", true), SOCKET.reach("0.0.0.0", Optional.empty()));
        assertEquals(new Reach("192.168.1.20", true), SOCKET.reach("192.168.1.20", Optional.empty()));
        assertEquals(new Reach("my-laptop", true), SOCKET.reach("0.0.0.0", Optional.of("my-laptop")));
    }

    @Test
    void anEngineOverTcpPublishesOnEveryAddressAndIsReachedAtItsHost() {
        assertEquals("0.0.0.0", TCP.defaultBindAddress());
        assertEquals(new Reach("docker", false), TCP.reach("0.0.0.0", Optional.empty()));
        assertEquals(new Reach("10.0.0.5", false), TCP.reach("10.0.0.5", Optional.empty()), "a single address given is where it is reached");
        assertEquals(new Reach("127.0.0.1", false), TCP.reach("0.0.0.0", Optional.of("127.0.0.1")));
    }

    @Test
    void anIpv6HostIsBracketedInTheUrlOnly() {
        Reach reach = endpoint("tcp://[fd00::7]:2376").reach("::", Optional.empty());

        assertEquals(new Reach("fd00::7", false), reach);
        assertEquals("http://[fd00::7]:8080/", reach.url(8080));
        assertEquals("http://docker:8080/", TCP.reach("0.0.0.0", Optional.empty()).url(8080));
    }

    private static EngineEndpoint endpoint(String host) {
        return new EngineEndpoint(URI.create(host), Optional.empty(), "test");
    }
}
