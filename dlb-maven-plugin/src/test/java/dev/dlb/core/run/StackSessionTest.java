package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.PROJECT;
import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.run.StackSession.Lifetime;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.FakeProbe;
import dev.dlb.core.testing.FakeTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts by hand (no watchdog) against an engine that stops answering. */
class StackSessionTest {

    @TempDir
    Path dir;
    private final FakeEngine engine = FakeEngine.withStackImages();
    private final List<String> log = new ArrayList<>();

    @Test
    void aStartWhoseEngineStopsAnsweringKeepsItsSessionForStopAndSaysSo() throws Exception {
        engine.silentFrom("web-2");
        RunFiles files = new RunFiles(dir);

        EngineException e = assertThrows(EngineException.class, () -> start(Lifetime.UNATTENDED));

        String session = files.readSession().orElseThrow(() -> new AssertionError("the session file is kept"));
        assertTrue(e.unanswered());
        // the replicas are created in parallel: whichever create was under way when it fell silent may be the one reported
        String reported = e.getMessage().replaceFirst("-web-[123]\\. ", "-web-N. ");
        assertEquals("the engine did not answer: create container dlb-shop-" + session + "-web-N. Whatever this start created is "
                + "left in place, since the engine does not answer: mvn dlb:stop removes it once the engine answers (session " + session
                + ", kept in " + files.sessionFile() + "; everything it made carries its labels)", reported);

        engine.silent(false);
        new StackStopper(engine, log::add).stopSession(PROJECT, session, false);
        assertEquals(List.of(), engine.live(), "stop, as the stop goal runs it from the session file, removes it all");
    }

    @Test
    void anEngineThatDoesNotAnswerFailsTheStartBeforeAnythingIsWritten() {
        engine.silent(true);

        EngineException e = assertThrows(EngineException.class, () -> start(Lifetime.UNATTENDED));

        assertEquals("the engine did not answer: ping", e.getMessage());
        assertFalse(Files.exists(new RunFiles(dir).sessionFile()));
    }

    private RunningStack start(Lifetime lifetime) throws Exception {
        StackSpec spec = spec().replicas(3).output(dir).stack();
        return new StackSession(engine, EngineSettings.current(), FakeProbe.roundRobin("web-1", "web-2", "web-3"), new FakeTime().pacer(),
                log::add).start(spec, lifetime, dir);
    }
}
