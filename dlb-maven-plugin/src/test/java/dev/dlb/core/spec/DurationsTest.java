package dev.dlb.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500, 0.500", "3s, 3000, 3", "1m, 60000, 60", "1500ms, 1500, 1.500", "1ms, 1, 0.001"})
    void parsesWhatNginxWritesAndGivesSecondsForShellTools(String text, long millis, String seconds) {
        assertEquals(Optional.of(Duration.ofMillis(millis)), Durations.parse(text));
        assertEquals(seconds, Durations.seconds(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "0s", "-1s", "3 s", "3S", "1h", "1.5s", "12345678s"})
    void rejectsEverythingElse(String text) {
        assertEquals(Optional.empty(), Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"1s, 3s, 17000", "500ms, 30s, 96500", "1s, 10m, 1808000"})
    void theFrontOutlastsEveryAttemptOfTheBack(String connect, String read, long millis) {
        BalancerTuning tuning = new BalancerTuning(connect, read, 0, "10s", 4096, 64);

        assertEquals(Duration.ofMillis(millis), Topology.frontTimeout(tuning));
    }
}
