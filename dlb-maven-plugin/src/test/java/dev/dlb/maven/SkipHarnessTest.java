package dev.dlb.maven;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.testing.MojoRule;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Skipped goals return before reading the spec or reaching for Docker. The project is valid, so each
 * goal would otherwise write: render-config and build-images render into target/dlb, start rewrites
 * session.properties before it creates anything, and stop deletes it (or fails when no engine answers).
 */
public class SkipHarnessTest {

    private static final String SESSION = "#written by an earlier start\nproject=dev.dlb.harness:harness-configured\nsession=0badcafe\n";

    @Rule
    public MojoRule rule = new MojoRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private HarnessProject project;
    private Path sessionFile;
    private String dockerHost;

    /** docker-java reads DOCKER_HOST from system properties too: a call a regression lets through fails here, not on a real engine. */
    @Before
    public void noEngine() {
        dockerHost = System.setProperty("DOCKER_HOST", "unix://" + tmp.getRoot().toPath().resolve("no-engine.sock"));
    }

    @After
    public void restoreDockerHost() {
        if (dockerHost == null) {
            System.clearProperty("DOCKER_HOST");
        } else {
            System.setProperty("DOCKER_HOST", dockerHost);
        }
    }

    @Before
    public void earlierStartLeftItsSessionFile() throws Exception {
        project = HarnessProject.copyOf("configured", rule, tmp);
        sessionFile = project.outputDirectory().resolve("session.properties");
        Files.createDirectories(sessionFile.getParent());
        Files.writeString(sessionFile, SESSION);
    }

    @Test
    public void dlbSkipMakesEveryGoalDoNothing() throws Exception {
        project.commandLine("dlb.skip", "true");
        for (String goal : List.of("render-config", "build-images", "start", "stop")) {
            Mojo mojo = project.mojo(goal);

            mojo.execute();

            assertUntouched(goal);
        }
    }

    @Test
    public void skipITsSkipsStartAndStop() throws Exception {
        project.commandLine("skipITs", "true");
        for (String goal : List.of("start", "stop")) {
            Mojo mojo = project.mojo(goal);

            mojo.execute();

            assertUntouched(goal);
        }
    }

    @Test
    public void skipITsLeavesRenderConfigRunning() throws Exception {
        project.commandLine("skipITs", "true");

        project.mojo("render-config").execute();

        assertTrue(Files.isRegularFile(project.outputDirectory().resolve("docker-compose.yml")));
        assertEquals(SESSION, Files.readString(sessionFile));
    }

    private void assertUntouched(String goal) throws Exception {
        assertEquals(goal + " wrote to target/dlb", List.of("session.properties"), HarnessProject.files(project.outputDirectory()));
        assertEquals(goal + " changed session.properties", SESSION, Files.readString(sessionFile));
    }
}
