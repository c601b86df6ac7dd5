package dev.dlb.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

    @TempDir
    Path tmp;

    @Test
    void sessionIsReadBackAndClearedAway() throws IOException {
        RunFiles files = new RunFiles(tmp.resolve("dlb"));
        assertEquals(Optional.empty(), files.readSession());

        files.writeSession("dev.dlb.test:shop", "s1");
        FileId lock = SessionLocks.hold(files.lockFile("s1"));
        assertEquals(Optional.of("s1"), files.readSession());

        files.clear();
        assertEquals(Optional.empty(), files.readSession());
        assertFalse(Files.exists(files.sessionFile()));
        assertFalse(Files.exists(files.markerFile("s1")), "the watchdog ends when its marker goes");
        assertFalse(Files.exists(lock.path()), "the lock is released and its file deleted");
    }

    @Test
    void balancerPropertiesCarryUrlPortSessionAndReplicas() throws IOException {
        RunFiles files = new RunFiles(tmp);
        files.writeBalancer(new RunningStack("s1", "http://127.0.0.1:49153/", 49153, List.of("web-1", "web-2")));

        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(files.balancerFile())) {
            p.load(in);
        }
        assertEquals("http://127.0.0.1:49153/", p.getProperty(RunFiles.URL_PROPERTY));
        assertEquals("49153", p.getProperty(RunFiles.PORT_PROPERTY));
        assertEquals("s1", p.getProperty("dlb.session"));
        assertEquals("web-1,web-2", p.getProperty("dlb.web.replicas"));
    }
}
