package dev.dlb.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitsTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({"256m, 268435456", "1g, 1073741824", "512k, 524288", "1048576, 1048576", "128MB, 134217728", "' 64m ', 67108864"})
    void sizesWithUnitsAreBytes(String memory, long bytes) {
        assertEquals(OptionalLong.of(bytes), new Limits(memory, 64).memoryBytes());
    }

    @ParameterizedTest(name = "{0} is no size")
    @CsvSource({"lots", "12t", "-5m", "''", "1.5g"})
    void malformedSizesHaveNoBytes(String memory) {
        assertEquals(OptionalLong.empty(), new Limits(memory, 64).memoryBytes());
    }
}
