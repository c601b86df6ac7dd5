package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dlb.core.testing.FakeEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EngineTraceTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<String> lines = new ArrayList<>();

    /** Each reading of the clock is 5 ms after the one before; the goal began at 1,000,000 ns. */
    private ContainerEngine traced(ContainerEngine engine) {
        return EngineTrace.wrap(engine, () -> clock.addAndGet(5_000_000), 1_000_000, lines::add);
    }

    @Test
    void eachCallIsOneLineWithItsBeginAfterTheOriginAndItsDuration() throws Exception {
        FakeEngine fake = FakeEngine.withStackImages();
        ContainerEngine engine = traced(fake);

        String id = engine.createNetwork("dlb-x-net", Map.of(), true);
        engine.namesInUse(List.of("a", "b"));

        assertEquals(fake.list(Map.of()).get(0).id(), id, "the call reaches the engine and its answer comes back");
        assertEquals(List.of("dlb: trace +4 ms createNetwork(dlb-x-net) took 5 ms", "dlb: trace +14 ms namesInUse() took 5 ms"), lines);
    }

    @Test
    void aFailingCallThrowsTheEnginesOwnExceptionAndSaysSoInItsLine() {
        FakeEngine fake = FakeEngine.withStackImages().refuseContainer("web-1");
        ContainerEngine engine = traced(fake);
        ContainerPlan plan = new ContainerPlan("dlb-x-web-1", "img", "web-1", List.of("net"), Map.of(), Map.of(), List.of(), 80,
                Optional.empty(), 0, new ContainerPlan.Hardening(List.of(), 1, 1, true, Map.of(), 1024));

        EngineException thrown = assertThrows(EngineException.class, () -> engine.createContainer(plan));

        assertSame(EngineException.class, thrown.getClass());
        assertEquals(List.of("dlb: trace +4 ms createContainer(dlb-x-web-1) took 5 ms failing (EngineException)"), lines);
    }
}
