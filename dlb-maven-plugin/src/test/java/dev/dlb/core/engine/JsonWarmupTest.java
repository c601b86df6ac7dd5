package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import com.github.dockerjava.core.DockerClientConfig;
import org.junit.jupiter.api.Test;

class JsonWarmupTest {

    /** A step that failed would end the warm-up silently, leaving every later reader and writer cold. */
    @Test
    void everyStepRunsOnDockerJavasMapper() {
        assertDoesNotThrow(() -> JsonWarmup.warm(DockerClientConfig.getDefaultObjectMapper()));
    }
}
