package dev.dlb.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The balancer's health watcher, the shipped script itself, run one round at a time ({@code dlb-watch.sh
 * step}) against stand-ins for getent and curl: which replicas answer and at which address is set per
 * test, and the next rotation is what the script prints. It runs under Debian's dash with GNU tools, as
 * in Debian-based images, and under BusyBox's shell and tools alone, as in Alpine-based images.
 */
class WatcherScriptTest {

    private static final String ALL_UP = "web-1@10.0.0.2@up,web-2@10.0.0.3@up,web-3@10.0.0.4@up";

    @TempDir
    Path tmp;

    private Path script;
    private Path stubs;

    /** dash with the host's tools; BusyBox with its applets alone on the PATH, when the host has it (CI installs it). */
    static Stream<String> shells() {
        return Stream.of("dash", "busybox").filter(s -> Files.isExecutable(Path.of("/usr/bin", s)) || Files.isExecutable(Path.of("/bin", s)));
    }

    @BeforeEach
    void stubs() throws IOException {
        script = tmp.resolve("dlb-watch.sh");
        Files.writeString(script, ClasspathText.read("balancer/dlb-watch.sh"));
        stubs = Files.createDirectories(tmp.resolve("bin"));
        Files.createDirectories(tmp.resolve("hosts"));
        Files.createDirectories(tmp.resolve("failing"));
        // getent hosts NAME: the address in hosts/NAME, or exit 2 (not found) as getent does
        stub("getent", "[ -r \"$STUB/hosts/$2\" ] || exit 2; echo \"$(cat \"$STUB/hosts/$2\") $2\"");
        // curl ... -H 'Host: NAME' URL: fails (22, as -f does on an error status) when failing/NAME exists
        stub("curl", "for a; do case \"$a\" in 'Host: '*) n=\"${a#Host: }\" ;; esac; done; [ ! -e \"$STUB/failing/$n\" ] || exit 22");
        for (int n = 1; n <= 3; n++) {
            resolves("web-" + n, "10.0.0." + (n + 1));
        }
    }

    @ParameterizedTest
    @MethodSource("shells")
    void healthyReplicasStayAsTheyAre(String shell) throws Exception {
        assertEquals(ALL_UP, step(shell, 60, ALL_UP).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aReplicaLeavesAfterTwoFailedProbesInARowAndComesBackOnItsFirstAnswer(String shell) throws Exception {
        assertEquals(ALL_UP, step(shell, 60, ALL_UP).rotation(), "answering once marks it as seen");
        failing("web-2");

        Round first = step(shell, 61, ALL_UP);
        assertEquals(ALL_UP, first.rotation(), "one failed probe is not enough");
        Round second = step(shell, 62, ALL_UP);
        String without2 = "web-1@10.0.0.2@up,web-2@10.0.0.3@down,web-3@10.0.0.4@up";
        assertEquals(without2, second.rotation());
        assertTrue(second.log().contains("web-2 (10.0.0.3): up -> down (probe: fail)"), second.log());

        answering("web-2");
        Round back = step(shell, 63, without2);
        assertEquals(ALL_UP, back.rotation());
        assertTrue(back.log().contains("web-2 (10.0.0.3): down -> up (probe: ok)"), back.log());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aReplicaThatNeverAnsweredKeepsItsPlaceUntilTheGracePeriodEnds(String shell) throws Exception {
        failing("web-3");

        assertEquals(ALL_UP, step(shell, 1, ALL_UP).rotation());
        assertEquals(ALL_UP, step(shell, 2, ALL_UP).rotation(), "still starting: within the 30 s grace");
        assertEquals("web-1@10.0.0.2@up,web-2@10.0.0.3@up,web-3@10.0.0.4@down", step(shell, 31, ALL_UP).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aNewAddressIsFollowedAndANameThatNoLongerResolvesIsGone(String shell) throws Exception {
        resolves("web-1", "10.0.0.9");
        Files.delete(tmp.resolve("hosts/web-3"));

        Round round = step(shell, 60, ALL_UP);

        assertEquals("web-1@10.0.0.9@up,web-2@10.0.0.3@up,web-3@@gone", round.rotation());
        assertTrue(round.log().contains("web-3 (no address): up -> gone (probe: gone)"), round.log());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void whenNoneAnswersEveryReachableReplicaKeepsItsChance(String shell) throws Exception {
        String twoDown = "web-1@10.0.0.2@down,web-2@10.0.0.3@down,web-3@10.0.0.4@up";
        failing("web-1");
        failing("web-2");
        failing("web-3");
        step(shell, 60, twoDown);

        assertEquals(ALL_UP, step(shell, 61, twoDown).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void whenNoNameResolvesTheRotationStaysAsItWas(String shell) throws Exception {
        for (int n = 1; n <= 3; n++) {
            Files.delete(tmp.resolve("hosts/web-" + n));
        }

        assertEquals(ALL_UP, step(shell, 60, ALL_UP).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theFirstRotationHoldsEveryReplicaThatResolves(String shell) throws Exception {
        Files.delete(tmp.resolve("hosts/web-2"));

        assertEquals("web-1@10.0.0.2@up,web-2@@gone,web-3@10.0.0.4@up", run(shell, List.of("rotation")).rotation());
    }

    private record Round(String rotation, String log) {
    }

    private Round step(String shell, int elapsed, String applied) throws Exception {
        return run(shell, List.of("step", Integer.toString(elapsed), applied));
    }

    private Round run(String shell, List<String> args) throws Exception {
        Path tools = shell.equals("busybox") ? busyboxApplets() : Path.of("/usr/bin");
        List<String> command = new ArrayList<>(List.of(tools.resolve(shell.equals("busybox") ? "sh" : shell).toString(), script.toString()));
        command.addAll(args);
        Path err = tmp.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().put("PATH", stubs + ":" + tools);
        builder.environment().put("STUB", tmp.toString());
        builder.environment().put("DLB_UPSTREAMS", "web-1,web-2,web-3");
        builder.environment().put("DLB_WATCH_STATE", tmp.resolve("state").toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the script did not finish");
        String log = Files.readString(err);
        assertEquals(0, process.exitValue(), log);
        return new Round(out.strip(), log);
    }

    /** A directory of BusyBox's applets only, so that no GNU tool stands in for a missing one. */
    private Path busyboxApplets() throws Exception {
        Path dir = tmp.resolve("busybox");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Process install = new ProcessBuilder("busybox", "--install", "-s", dir.toString()).inheritIO().start();
            assertTrue(install.waitFor(20, TimeUnit.SECONDS) && install.exitValue() == 0, "busybox --install");
        }
        return dir;
    }

    private void stub(String name, String body) throws IOException {
        Path file = stubs.resolve(name);
        Files.writeString(file, "#!/usr/bin/env sh\n" + body + "\n");
        assertTrue(file.toFile().setExecutable(true));
    }

    private void resolves(String name, String address) throws IOException {
        Files.writeString(tmp.resolve("hosts").resolve(name), address + "\n");
    }

    private void failing(String name) throws IOException {
        Files.writeString(tmp.resolve("failing").resolve(name), "");
    }

    private void answering(String name) throws IOException {
        Files.delete(tmp.resolve("failing").resolve(name));
    }
}
