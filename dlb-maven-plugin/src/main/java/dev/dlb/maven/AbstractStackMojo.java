package dev.dlb.maven;

import org.apache.maven.plugins.annotations.Parameter;

/** What start and stop share: both follow the integration tests' skip flag and the debugging keep flag. */
abstract class AbstractStackMojo extends AbstractDlbMojo {

    /**
     * Skips start and stop together with the integration tests.
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipITs", defaultValue = "false")
    boolean skipITs;

    /**
     * Debugging: leave the stack running after the build; mvn dlb:stop, or the next start, in the same
     * checkout removes it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dlb.keepRunning", defaultValue = "false")
    boolean keepRunning;

    @Override
    boolean skipped() {
        return skip || skipITs;
    }
}
