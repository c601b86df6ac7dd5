package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.run.RunningStack;
import dev.dlb.core.spec.StackSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixture itself works: a real stack comes up, answers, and goes away without a trace. */
class SmokeIT {

    @Test
    void realStackComesUpAndLeavesNothing() throws Exception {
        StackSpec spec = RealStack.spec("smoke");
        try (ContainerEngine engine = RealStack.engine()) {
            try {
                RunningStack stack = RealStack.start(engine, spec, "smoke001");
                HttpResponse<String> answer = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(stack.balancerUrl())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode());
                assertTrue(answer.body().contains("server "), answer.body());
                assertEquals(List.of("web-1", "web-2", "web-3"), stack.replicas());
            } finally {
                RealStack.removeAll(engine, spec.projectId());
            }
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }
}
