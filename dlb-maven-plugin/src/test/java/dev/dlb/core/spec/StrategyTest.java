package dev.dlb.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StrategyTest {

    @ParameterizedTest
    @CsvSource({
        "round-robin, ROUND_ROBIN", "ROUND_ROBIN, ROUND_ROBIN", "Round_Robin, ROUND_ROBIN",
        "least-connections, LEAST_CONNECTIONS", "LEAST_CONNECTIONS, LEAST_CONNECTIONS",
        "ip-hash, IP_HASH", "IP-Hash, IP_HASH", "ip_hash, IP_HASH", "'  ip-hash ', IP_HASH",
    })
    void parsesIdsInAnyCaseAndWithUnderscores(String value, Strategy expected) {
        assertEquals(Optional.of(expected), Strategy.parse(value));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"random", "roundrobin", "ip hash", "least-conn"})
    void rejectsAnythingElse(String value) {
        assertEquals(Optional.empty(), Strategy.parse(value));
    }
}
