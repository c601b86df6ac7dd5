package dev.dlb.core.run;

import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** A fixed balancer port must be free on the bind address before anything is created. */
final class PortCheck {

    private PortCheck() {
    }

    static void requireFree(BalancerSpec balancer) {
        if (balancer.port() == 0) {
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
}
