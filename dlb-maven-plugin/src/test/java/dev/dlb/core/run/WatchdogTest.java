package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.testing.FakeTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogTest {

    private final FakeTime time = new FakeTime();
    @TempDir
    Path dir;

    @Test
    void ownerDyingWhileTheMarkerExistsMeansCleanUp() throws Exception {
        AtomicInteger polls = new AtomicInteger();

        Watchdog.Outcome outcome = Watchdog.watch(() -> polls.incrementAndGet() < 4, () -> true, time.pacer());

        assertEquals(Watchdog.Outcome.OWNER_GONE, outcome);
        assertEquals(Duration.ofMillis(1500), time.elapsed(), "three polls of 500 ms before the owner was seen gone");
    }

    @Test
    void markerRemovedByStopEndsTheWatchdogWithoutCleanUp() throws Exception {
        AtomicInteger polls = new AtomicInteger();

        Watchdog.Outcome outcome = Watchdog.watch(() -> true, () -> polls.incrementAndGet() < 3, time.pacer());

        assertEquals(Watchdog.Outcome.STOPPED_NORMALLY, outcome);
    }

    @Test
    void ownerEndingAfterStopRemovedTheMarkerIsANormalEnd() throws Exception {
        AtomicInteger markerChecks = new AtomicInteger();

        // the first marker check sees it, the owner is then gone, and the re-check finds stop removed it meanwhile
        Watchdog.Outcome outcome = Watchdog.watch(() -> false, () -> markerChecks.incrementAndGet() == 1, time.pacer());

        assertEquals(Watchdog.Outcome.STOPPED_NORMALLY, outcome);
    }

    @Test
    void aWatchdogNeverOutlivesItsMaximumLifetime() throws Exception {
        Watchdog.Outcome outcome = Watchdog.watch(() -> true, () -> true, time.pacer());

        assertEquals(Watchdog.Outcome.EXPIRED, outcome);
        assertTrue(time.elapsed().compareTo(Duration.ofHours(24)) >= 0, "ran until " + time.elapsed());
    }

    @Test
    void leavesTheBuildsProcessGroupWithSetsidElseWithBashJobControl() {
        assertEquals(List.of("/usr/bin/setsid"), Watchdog.detachment(programs("setsid", "bash")));
        assertEquals(List.of("/usr/bin/bash", "-c", "set -m; \"$@\" &", "dlb-watchdog"), Watchdog.detachment(programs("bash")));
        assertEquals(List.of(), Watchdog.detachment(programs()));
    }

    @Test
    void theWatchdogTalksToTheEngineMavenTalksToWithTheSameTimeouts() throws Exception {
        Properties system = new Properties();
        system.setProperty("DOCKER_HOST", "tcp://127.0.0.1:2375");
        system.setProperty("dlb.engine.timeout", "7");
        Properties user = new Properties();
        user.setProperty("DOCKER_CONFIG", "/home/ci/.docker");

        ProcessBuilder builder = Watchdog.processBuilder(launch(EngineSettings.of(Map.of(), system, user)), List.of("/usr/bin/setsid"));

        Map<String, String> env = builder.environment();
        assertEquals("tcp://127.0.0.1:2375", env.get("DOCKER_HOST"));
        assertEquals("/home/ci/.docker", env.get("DOCKER_CONFIG"));
        for (String unset : List.of("DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONTEXT")) {
            assertFalse(env.containsKey(unset), unset + " was not given, so the watchdog must not have it either");
        }
        List<String> command = builder.command();
        assertEquals("/usr/bin/setsid", command.get(0));
        assertTrue(command.contains("-Ddlb.engine.timeout=7"), command::toString);
        assertTrue(command.contains("-Ddlb.engine.buildTimeout=1800"), command::toString);
        int main = command.indexOf(Watchdog.class.getName());
        assertEquals(List.of("shop", "s1", dir.resolve("marker").toString(), "false", dir.resolve("ready").toString()),
                command.subList(main + 2, command.size()));
    }

    @Test
    void startGoesOnOnceTheWatchdogSaysItRuns() throws Exception {
        Files.writeString(dir.resolve("ready"), "READY 4242\n");

        assertEquals(4242, Watchdog.awaitReady(launch(), running(), time.pacer()));
    }

    @Test
    void aWatchdogThatCannotReachTheEngineFailsTheStartWithItsReason() throws Exception {
        Files.writeString(dir.resolve("ready"), "FAILED No Docker engine answers at tcp://127.0.0.1:9 (system property DOCKER_HOST=tcp://127.0.0.1:9)\n");

        StackException e = assertThrows(StackException.class, () -> Watchdog.awaitReady(launch(), running(), time.pacer()));

        assertTrue(e.getMessage().startsWith("The watchdog of session s1 is not running: it cannot reach the engine Maven uses: No Docker "
                + "engine answers at tcp://127.0.0.1:9 (system property DOCKER_HOST=tcp://127.0.0.1:9) (its log "), e::getMessage);
        assertTrue(e.getMessage().contains("Nothing was created. Fix: read that log"), e::getMessage);
    }

    @Test
    void aWatchdogThatNeverSaysItRunsFailsTheStartAfterTheReadyTimeoutQuotingItsLog() throws Exception {
        Files.writeString(dir.resolve("watchdog.log"), "Error: Could not find or load main class dev.dlb.core.run.Watchdog\n");

        StackException e = assertThrows(StackException.class, () -> Watchdog.awaitReady(launch(), running(), time.pacer()));

        assertEquals("The watchdog of session s1 is not running: it did not say within 30 s that it runs (its log "
                + dir.resolve("watchdog.log") + " ends: Error: Could not find or load main class dev.dlb.core.run.Watchdog). Nothing "
                + "was created. Fix: read that log; to go on without a watchdog, start by hand (mvn dlb:start) and remove the stack "
                + "with mvn dlb:stop", e.getMessage());
        assertTrue(time.elapsed().compareTo(Watchdog.READY_TIMEOUT) >= 0, "waited " + time.elapsed());
    }

    @Test
    void aWatchdogThatEndsBeforeItSaysItRunsFailsTheStartAtOnce() {
        StackException e = assertThrows(StackException.class, () -> Watchdog.awaitReady(launch(), () -> OptionalInt.of(1), time.pacer()));

        assertTrue(e.getMessage().contains("it ended with exit code 1 before it said it runs"), e::getMessage);
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void afterItsOwnerDiedTheWatchdogTriesAgainWhileTheEngineDoesNotAnswer() throws Exception {
        AtomicInteger attempts = new AtomicInteger();

        boolean removed = Watchdog.sweepUntilDone(() -> {
            if (attempts.incrementAndGet() < 4) {
                throw EngineException.unanswered("no answer", null);
            }
        }, time.pacer());

        assertTrue(removed);
        assertEquals(4, attempts.get());
        assertEquals(List.of(Watchdog.SWEEP_PAUSE, Watchdog.SWEEP_PAUSE, Watchdog.SWEEP_PAUSE), time.sleeps());
    }

    @Test
    void theWatchdogGivesUpOnAnEngineThatNeverAnswersAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();

        boolean removed = Watchdog.sweepUntilDone(() -> {
            attempts.incrementAndGet();
            throw EngineException.unanswered("no answer", null);
        }, time.pacer());

        assertFalse(removed);
        assertEquals(Watchdog.SWEEP_RETRIES, time.elapsed());
        assertEquals(Watchdog.SWEEP_RETRIES.dividedBy(Watchdog.SWEEP_PAUSE) + 1, attempts.get());
    }

    private Watchdog.Launch launch() {
        return launch(EngineSettings.of(Map.of(), new Properties(), new Properties()));
    }

    private Watchdog.Launch launch(EngineSettings engine) {
        return new Watchdog.Launch("shop", "s1", dir.resolve("marker"), false, dir.resolve("watchdog.log"), dir.resolve("ready"), engine);
    }

    private static Supplier<OptionalInt> running() {
        return OptionalInt::empty;
    }

    private static Function<String, Optional<Path>> programs(String... present) {
        List<String> found = List.of(present);
        return name -> found.contains(name) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty();
    }
}
