package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogLauncherTest {

    private final FakeTime time = new FakeTime();
    @TempDir
    Path dir;

    @Test
    void leavesTheBuildsProcessGroupWithSetsidElseWithBashJobControl() {
        assertEquals(List.of("/usr/bin/setsid"), WatchdogLauncher.detachment(programs("setsid", "bash")));
        assertEquals(List.of("/usr/bin/bash", "-c", "set -m; \"$@\" &", "dlb-watchdog"), WatchdogLauncher.detachment(programs("bash")));
        assertEquals(List.of(), WatchdogLauncher.detachment(programs()));
    }

    @Test
    void theWatchdogTalksToTheEngineMavenTalksToWithTheSameTimeouts() throws Exception {
        Properties system = new Properties();
        system.setProperty("DOCKER_HOST", "tcp://127.0.0.1:2375");
        system.setProperty("dlb.engine.timeout", "7");
        Properties user = new Properties();
        user.setProperty("DOCKER_CONFIG", "/home/ci/.docker");

        ProcessBuilder builder = WatchdogLauncher.processBuilder(launch(EngineSettings.of(Map.of(), system, user)), List.of("/usr/bin/setsid"));

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

        assertEquals(4242, WatchdogLauncher.awaitReady(launch(), running(), time.pacer()));
    }

    @Test
    void aWatchdogThatCannotReachTheEngineFailsTheStartWithItsReason() throws Exception {
        Files.writeString(dir.resolve("ready"), "FAILED No Docker engine answers at tcp://127.0.0.1:9 (system property DOCKER_HOST=tcp://127.0.0.1:9)\n");

        StackException e = assertThrows(StackException.class, () -> WatchdogLauncher.awaitReady(launch(), running(), time.pacer()));

        assertTrue(e.getMessage().startsWith("The watchdog of session s1 is not running: it cannot reach the engine Maven uses: No Docker "
                + "engine answers at tcp://127.0.0.1:9 (system property DOCKER_HOST=tcp://127.0.0.1:9) (its log "), e::getMessage);
        assertTrue(e.getMessage().contains("Nothing was created. Fix: read that log"), e::getMessage);
    }

    @Test
    void aWatchdogThatNeverSaysItRunsFailsTheStartAfterTheReadyTimeoutQuotingItsLog() throws Exception {
        Files.writeString(dir.resolve("watchdog.log"), "Error: Could not find or load main class dev.dlb.core.run.Watchdog\n");

        StackException e = assertThrows(StackException.class, () -> WatchdogLauncher.awaitReady(launch(), running(), time.pacer()));

        assertEquals("The watchdog of session s1 is not running: it did not say within 30 s that it runs (its log "
                + dir.resolve("watchdog.log") + " ends: Error: Could not find or load main class dev.dlb.core.run.Watchdog). Nothing "
                + "was created. Fix: read that log; to go on without a watchdog, start by hand (mvn dlb:start) and remove the stack "
                + "with mvn dlb:stop", e.getMessage());
        assertTrue(time.elapsed().compareTo(WatchdogLauncher.READY_TIMEOUT) >= 0, "waited " + time.elapsed());
    }

    @Test
    void aWatchdogThatEndsBeforeItSaysItRunsFailsTheStartAtOnce() {
        StackException e = assertThrows(StackException.class, () -> WatchdogLauncher.awaitReady(launch(), () -> OptionalInt.of(1), time.pacer()));

        assertTrue(e.getMessage().contains("it ended with exit code 1 before it said it runs"), e::getMessage);
        assertEquals(Duration.ZERO, time.elapsed());
    }

    private WatchdogLauncher.Launch launch() {
        return launch(EngineSettings.of(Map.of(), new Properties(), new Properties()));
    }

    private WatchdogLauncher.Launch launch(EngineSettings engine) {
        return new WatchdogLauncher.Launch("shop", "s1", dir.resolve("marker"), false, dir.resolve("watchdog.log"), dir.resolve("ready"), engine);
    }

    private static Supplier<OptionalInt> running() {
        return OptionalInt::empty;
    }

    private static Function<String, Optional<Path>> programs(String... present) {
        List<String> found = List.of(present);
        return name -> found.contains(name) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty();
    }
}
