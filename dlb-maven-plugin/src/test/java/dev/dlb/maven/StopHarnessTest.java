package dev.dlb.maven;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.testing.MojoRule;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * dlb:stop as Maven runs it, with no engine answering (DOCKER_HOST points at a socket that does not
 * exist): whatever reaches for the engine fails, so a stop that succeeds asked nothing of it.
 */
public class StopHarnessTest {

    @Rule
    public MojoRule rule = new MojoRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private HarnessProject project;
    private String dockerHost;

    @Before
    public void noEngineAndNoSessionFile() throws Exception {
        dockerHost = System.setProperty("DOCKER_HOST", "unix://" + tmp.getRoot().toPath().resolve("no-engine.sock"));
        project = HarnessProject.copyOf("configured", rule, tmp);
    }

    @After
    public void restoreDockerHost() {
        if (dockerHost == null) {
            System.clearProperty("DOCKER_HOST");
        } else {
            System.setProperty("DOCKER_HOST", dockerHost);
        }
    }

    /** A checkout that started nothing does not touch the engine, where other checkouts' stacks run. */
    @Test
    public void stopWithoutASessionFileAsksNothingOfTheEngine() throws Exception {
        StopMojo stop = project.mojo("stop");

        stop.execute();

        assertEquals(List.of(), HarnessProject.files(project.outputDirectory()));
    }

    @Test
    public void stopAllGoesToTheEngine() throws Exception {
        assertNoEngineAnswers(project.commandLine("dlb.stop.all", "true").mojo("stop"));
    }

    @Test
    public void aNamedSessionGoesToTheEngine() throws Exception {
        assertNoEngineAnswers(project.commandLine("dlb.stop.session", "0badcafe").mojo("stop"));
    }

    @Test
    public void theSessionToStopBindsFromItsProperty() throws Exception {
        StopMojo stop = project.commandLine("dlb.stop.session", "0badcafe").mojo("stop");

        assertEquals("0badcafe", stop.stopSession);
        assertFalse("dlb.stop.all", stop.all);
    }

    private static void assertNoEngineAnswers(StopMojo stop) {
        try {
            stop.execute();
        } catch (MojoExecutionException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("No Docker engine answers"));
            return;
        } catch (Exception e) {
            throw new AssertionError("expected a MojoExecutionException, got " + e, e);
        }
        throw new AssertionError("stop reached no engine, yet did not fail");
    }
}
