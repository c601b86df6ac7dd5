package dev.dlb.core.run;

import dev.dlb.core.engine.EngineException;
import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

/**
 * A fixed balancer port must be free on the bind address before anything is created, where that address is this
 * machine's. An engine elsewhere publishes on its own machine, which only it can tell about: what it says when it
 * cannot publish the balancer is turned into the same kind of message.
 */
final class PortCheck {

    private PortCheck() {
    }

    static void requireFree(BalancerSpec balancer) {
        if (balancer.port() == 0 || !balancer.reach().engineLocal()) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(balancer.bindAddress(), balancer.port()));
        } catch (IOException e) {
            throw new InvalidSpecException(List.of(new Problem("<balancer><port>", Integer.toString(balancer.port()),
                    "the port is already in use on " + balancer.bindAddress() + " (" + e.getMessage() + ")",
                    "stop what listens there, choose another port, or use 0 (-Ddlb.balancer.port=0) for a free one")));
        }
    }

    /** The engine's refusal to publish the balancer as a configuration problem; empty when it failed for another reason. */
    static Optional<InvalidSpecException> refusal(EngineException e, BalancerSpec balancer) {
        String said = String.valueOf(e.getMessage());
        String where = balancer.bindAddress() + ":" + balancer.port();
        if (said.contains("port is already allocated") || said.contains("address already in use")) {
            return Optional.of(new InvalidSpecException(List.of(new Problem("<balancer><port>", Integer.toString(balancer.port()),
                    "the engine cannot publish the balancer on " + where + ": the port is taken on the engine's machine (" + said + ")",
                    "stop what holds it there, choose another port, or use 0 (-Ddlb.balancer.port=0) for a free one"))));
        }
        if (said.contains("cannot assign requested address")) {
            return Optional.of(new InvalidSpecException(List.of(new Problem("<balancer><bindAddress>", balancer.bindAddress(),
                    "the engine cannot publish the balancer on " + where + ": it is no address of the engine's machine (" + said + ")",
                    "use 0.0.0.0, or an address of the machine the engine runs on"))));
        }
        return Optional.empty();
    }
}
