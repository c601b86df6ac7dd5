package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.Resource.Kind;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.Owners;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stop removes: what this output directory started, a session named on purpose, or everything when asked to. */
class SessionStopTest {

    private final FakeEngine engine = new FakeEngine();
    private final List<String> info = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final SessionStop stop = new SessionStop(engine, info::add, warnings::add);

    @TempDir
    Path tmp;

    private Path output;

    @BeforeEach
    void twoCheckoutsRunAStackEach() {
        output = tmp.resolve("shop/target/dlb");
        for (String session : List.of("mine", "theirs")) {
            engine.addContainer(session + "-web-1", Labels.of(PROJECT, session, "web", Owners.me()), "web-data");
            engine.add(Kind.NETWORK, session, Labels.of(PROJECT, session, "network", Owners.me()));
        }
        engine.add(Kind.VOLUME, "web-data", Map.of(Labels.PROJECT, PROJECT, Labels.ROLE, "web-data"));
    }

    /** The bug this guards against: a checkout that started nothing removed every other checkout's stack. */
    @Test
    void aCheckoutThatStartedNothingRemovesNothingAndSaysHowToRemoveEverything() throws Exception {
        Optional<List<Resource>> removed = stop.stop(request(Optional.empty(), false));

        assertEquals(Optional.empty(), removed);
        assertEquals(List.of(), engine.calls(), "the engine is not even asked");
        assertEquals(List.of("mine", "mine-web-1", "theirs", "theirs-web-1", "web-data"), engine.liveNames());
        assertEquals(1, warnings.size(), warnings::toString);
        String warning = warnings.get(0);
        assertTrue(warning.startsWith("No session file " + output.resolve("session.properties") + ": no stack of " + PROJECT
                + " was started from " + output), warning);
        assertTrue(warning.endsWith("to remove every stack of " + PROJECT + " on this engine: mvn dlb:stop -Ddlb.stop.all"), warning);
    }

    @Test
    void theRecordedSessionIsRemovedAndOthersStay() throws Exception {
        new RunFiles(output).writeSession(PROJECT, "mine");

        List<Resource> removed = stop.stop(request(Optional.empty(), false)).orElseThrow();

        assertEquals(List.of("mine", "mine-web-1"), removed.stream().map(Resource::name).sorted().toList());
        assertEquals(List.of("theirs", "theirs-web-1", "web-data"), engine.liveNames());
        assertEquals(Optional.empty(), new RunFiles(output).readSession(), "the session file is cleared");
        assertEquals(List.of(), warnings);
    }

    /** As Docker 20.10 may for a network with no container left (moby/moby#42119): what stays behind is a warning, not a line of progress. */
    @Test
    void whatTheEngineRefusesToRemoveIsAWarningAndTheRestGo() throws Exception {
        new RunFiles(output).writeSession(PROJECT, "mine");
        engine.refuseRemoval("mine", "error while removing network: network mine id 5e7f has active endpoints");

        List<Resource> removed = stop.stop(request(Optional.empty(), false)).orElseThrow();

        assertEquals(List.of("mine-web-1"), removed.stream().map(Resource::name).toList());
        assertEquals(List.of("Could not remove network mine: error while removing network: network mine id 5e7f has active endpoints"), warnings);
        assertTrue(info.stream().noneMatch(line -> line.startsWith("Could not")), info::toString);
    }

    @Test
    void aSessionNamedOnPurposeIsRemovedAndTheRecordedOneStays() throws Exception {
        new RunFiles(output).writeSession(PROJECT, "mine");

        stop.stop(request(Optional.of("theirs"), false));

        assertEquals(List.of("mine", "mine-web-1", "web-data"), engine.liveNames());
        assertEquals(Optional.of("mine"), new RunFiles(output).readSession(), "this checkout's session file is still its own");
    }

    @Test
    void allRemovesEverySessionOfTheProjectWithoutASessionFile() throws Exception {
        stop.stop(request(Optional.empty(), true));

        assertEquals(List.of(), engine.liveNames());
        assertFalse(info.isEmpty());
        assertTrue(info.get(0).startsWith("Removing every resource of " + PROJECT), info::toString);
    }

    private SessionStop.Request request(Optional<String> session, boolean all) {
        return new SessionStop.Request(PROJECT, output, session, all, false);
    }

    @Test
    void aStopTimeoutOutsideZeroToTenMinutesIsRejectedNamingItsParameter() {
        for (int seconds : new int[] {-1, 601}) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SessionStop.stopTimeout(seconds));
            assertEquals("<stopTimeout>", e.problems().get(0).xmlPath());
            assertTrue(e.getMessage().contains("-Ddlb.stop.timeout=1"), e::getMessage);
        }
        assertEquals(Duration.ZERO, SessionStop.stopTimeout(0));
        assertEquals(Duration.ofMinutes(10), SessionStop.stopTimeout(600));
    }
}
