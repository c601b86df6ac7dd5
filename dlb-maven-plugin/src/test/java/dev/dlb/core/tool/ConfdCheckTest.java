package dev.dlb.core.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dlb.core.spec.InvalidSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ConfdCheck against fake confd scripts: one that never ends must be ended at the timeout, with what it started. */
class ConfdCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String HELP = "if [ \"$1\" = \"--help\" ]; then echo '  -onetime  run once and exit'; exit 0; fi\n";

    @TempDir
    Path dir;
    private Path etc;

    @BeforeEach
    void confdResources() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        etc = Files.createDirectories(dir.resolve("confd-etc"));
        Files.createDirectories(etc.resolve("conf.d"));
        Files.createDirectories(etc.resolve("templates"));
    }

    @Test
    void aConfdWhoseHelpNeverEndsIsEndedAtTheTimeout() throws Exception {
        Path confd = fakeConfd(hangingChild());

        IOException e = assertThrows(IOException.class, () -> ConfdCheck.check(confd, etc, Map.of(), TIMEOUT));

        assertEquals("confd (" + confd + ") did not finish printing its --help within 1 s and was ended. Fix: check that this confd "
                + "runs on this machine (try it with --help), or set <confd><binary> to one that does", e.getMessage());
        assertEnded(childPid());
    }

    @Test
    void aConfdThatNeverFinishesTheCheckIsEndedAtTheTimeout() throws Exception {
        Path confd = fakeConfd(HELP + hangingChild());

        IOException e = assertThrows(IOException.class, () -> ConfdCheck.check(confd, etc, Map.of(), TIMEOUT));

        assertTrue(e.getMessage().startsWith("confd (" + confd + ") did not finish checking the templates within 1 s"), e::getMessage);
        assertEnded(childPid());
    }

    @Test
    void aTemplateErrorAfterMuchOutputIsReportedWithConfdsMessage() throws Exception {
        Path confd = fakeConfd(HELP + "/usr/bin/head -c 300000 /dev/zero | /usr/bin/tr '\\0' 'x'; echo\n"
                + "echo 'confd[7]: ERROR template: index.html.tmpl:3: function \"nope\" not defined'; exit 1\n");

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> ConfdCheck.check(confd, etc, Map.of(), TIMEOUT));

        assertEquals(1, e.problems().size());
        assertEquals("templates/index.html.tmpl", e.problems().get(0).value());
        assertEquals("confd cannot render it: template: index.html.tmpl:3: function \"nope\" not defined", e.problems().get(0).reason());
    }

    @Test
    void aConfdThatRendersPasses() throws Exception {
        Path confd = fakeConfd(HELP + "echo rendered; exit 0\n");

        ConfdCheck.check(confd, etc, Map.of("DLB_REPLICA", "1"), TIMEOUT);
    }

    /** Starts a child that would outlive a killed script, and waits for it. */
    private String hangingChild() {
        return "/bin/sleep 600 & echo $! > " + dir.resolve("child.pid") + "\nwait\n";
    }

    private long childPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
    }

    private static void assertEnded(long pid) throws Exception {
        ProcessHandle child = ProcessHandle.of(pid).orElse(null);
        if (child != null) {
            child.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private Path fakeConfd(String body) throws IOException {
        Path script = dir.resolve("confd");
        Files.writeString(script, "#!/bin/sh\n" + body);
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }
}
