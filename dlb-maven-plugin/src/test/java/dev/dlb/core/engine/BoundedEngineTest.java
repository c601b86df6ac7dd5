package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.testing.FakeEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the bound makes of the engine's failures; the wait itself is proven against a silent engine in SilentEngineIT. */
class BoundedEngineTest {

    private static final String NAME = "tcp://127.0.0.1:2375 (system property DOCKER_HOST=tcp://127.0.0.1:2375)";
    private static final Map<String, String> LABELS = Map.of("dev.dlb.project", "p");

    private final FakeEngine fake = new FakeEngine();
    private final List<String> delegated = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> timingOut = Collections.synchronizedSet(new java.util.HashSet<>());
    private RuntimeException transportFailure = new RuntimeException(new SocketTimeoutException("Read timed out"));
    private final BoundedEngine engine = new BoundedEngine(failing(), NAME, EngineTimeouts.DEFAULT);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aCallTheEngineLeftUnansweredNamesTheEngineWhatWasWaitingAndTheFix() {
        timingOut.add("createNetwork");

        EngineException e = assertThrows(EngineException.class, () -> engine.createNetwork("dlb-shop-s1", LABELS, false));

        assertTrue(e.unanswered());
        assertEquals("The Docker engine at " + NAME + " did not answer within 30 s while creating network dlb-shop-s1. Fix: check "
                + "that it runs and answers (docker info); if it is only slow, raise -Ddlb.engine.timeout (seconds)", e.getMessage());
    }

    @Test
    void onceTheEngineLeftACallUnansweredTheNextFailAtOnceWithoutAskingItUntilAPingIsAnswered() throws Exception {
        String web1 = engine.createContainer(plan("dlb-shop-s1-web-1"));
        timingOut.add("startContainer");
        assertThrows(EngineException.class, () -> engine.startContainer(web1));
        timingOut.clear();
        int asked = delegated.size();

        EngineException skipped = assertThrows(EngineException.class, () -> engine.list(LABELS));

        assertTrue(skipped.unanswered());
        assertEquals("Skipped listing what is labelled " + LABELS + ": the Docker engine at " + NAME + " stopped answering (did not "
                + "answer within 30 s while starting container dlb-shop-s1-web-1)", skipped.getMessage());
        assertEquals(asked, delegated.size(), "the engine was not asked: " + delegated);

        engine.ping();
        assertEquals(List.of(), engine.list(Map.of("no", "such label")));
        assertEquals(List.of("ping", "list"), delegated.subList(asked, delegated.size()));
    }

    @Test
    void theEnginesOwnErrorPassesThroughAndTheEngineStillCounts() throws Exception {
        fake.refuseContainer("dlb-shop-s1-web-2");

        EngineException e = assertThrows(EngineException.class, () -> engine.createContainer(plan("dlb-shop-s1-web-2")));

        assertEquals("the engine refused dlb-shop-s1-web-2", e.getMessage());
        assertFalse(e.unanswered());
        assertEquals(List.of(), engine.list(LABELS));
    }

    @Test
    void aFailingTransportIsAnEngineErrorThatNamesTheEngine() throws Exception {
        timingOut.add("createVolume");
        transportFailure = new RuntimeException(new ConnectException("Connection refused"));

        EngineException e = assertThrows(EngineException.class, () -> engine.createVolume("dlb-shop-web-data", LABELS));

        assertFalse(e.unanswered());
        assertTrue(e.getMessage().startsWith("Docker at " + NAME + " failed creating volume dlb-shop-web-data: "), e::getMessage);
        assertTrue(e.getMessage().endsWith("Connection refused)"), e::getMessage);
        assertEquals(List.of(), engine.list(LABELS), "one refused connection says nothing of the next");
    }

    private static ContainerPlan plan(String hostname) {
        return new ContainerPlan(hostname, "img", hostname, List.of("net"), Map.of(), LABELS, List.of(), 80, Optional.empty(), 0,
                new ContainerPlan.Hardening(List.of(), 1, 1, true, Map.of(), 1024));
    }

    /** The fake, except that the calls named in {@link #timingOut} fail as the transport fails. */
    private ContainerEngine failing() {
        return (ContainerEngine) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ContainerEngine.class},
                (proxy, method, args) -> {
                    delegated.add(method.getName());
                    if (timingOut.contains(method.getName())) {
                        throw transportFailure;
                    }
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
