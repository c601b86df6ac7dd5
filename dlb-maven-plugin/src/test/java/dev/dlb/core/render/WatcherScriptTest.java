package dev.dlb.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.swarm.SwarmTopology;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The balancer's health watcher, the shipped script itself, run one round at a time ({@code dlb-watch.sh
 * step}) against stand-ins for getent and for the probe's tool, curl (as in the official nginx images) or
 * wget (as in Alpine-based ones): which replicas answer and at which address is set per test, and the
 * next rotation is what the script prints. It runs under Debian's dash with the few GNU tools it needs,
 * as in Debian-based images, and under BusyBox's shell and tools alone, as in Alpine-based images.
 */
class WatcherScriptTest {

    private static final String ALL_UP = "web-1@10.0.0.2@up,web-2@10.0.0.3@up,web-3@10.0.0.4@up";
    private static final String WITHOUT_2 = "web-1@10.0.0.2@up,web-2@10.0.0.3@down,web-3@10.0.0.4@up";

    @TempDir
    Path tmp;

    private Path script;
    private Path stubs;

    /** The GNU tools the watcher needs besides the probe's, linked alone into the PATH for dash. */
    private static final List<String> GNU_TOOLS = List.of("awk", "cat", "grep", "mkdir", "rm", "sed", "sort", "timeout", "tr");

    /**
     * dash with those GNU tools, and BusyBox with its applets alone on the PATH (when the host has it: CI
     * installs it), each with a curl and with a wget that answer for the replicas.
     */
    static Stream<Arguments> shells() {
        return Stream.of("dash", "busybox").filter(s -> Files.isExecutable(Path.of("/usr/bin", s)) || Files.isExecutable(Path.of("/bin", s)))
                .flatMap(shell -> Stream.of(CURL, OLD_CURL, "wget").map(tool -> Arguments.of(shell, tool)));
    }

    /** A curl that sends many requests at once (-Z, 7.66 and later: the official images' since Debian 11) ... */
    private static final String CURL = "curl";
    /** ... and one that does not (Debian 10's 7.64): it is run once a probe. */
    private static final String OLD_CURL = "curl-7.64";

    @BeforeEach
    void stubs() throws IOException {
        script = tmp.resolve("dlb-watch.sh");
        Files.writeString(script, ClasspathText.read("balancer/dlb-watch.sh"));
        Files.writeString(tmp.resolve("dlb-http.sh"), ClasspathText.read("common/dlb-http.sh"));
        stubs = Files.createDirectories(tmp.resolve("bin"));
        Files.createDirectories(tmp.resolve("hosts"));
        Files.createDirectories(tmp.resolve("failing"));
        Files.createDirectories(tmp.resolve("refusing"));
        Files.createDirectories(tmp.resolve("calls"));
        // getent hosts|ahosts NAME: each address in hosts/NAME as glibc prints them (ahosts once per socket type), or exit 2
        // (not found) as getent does; with musl-getent, only the first, as musl's getent may
        stub("getent", "[ -r \"$STUB/hosts/$2\" ] || exit 2; [ -e \"$STUB/musl-getent\" ] && { read -r a < \"$STUB/hosts/$2\"; echo \"$a $2\"; exit 0; }; "
                + "while read -r a; do if [ \"$1\" = ahosts ]; then echo \"$a STREAM $2\"; echo \"$a DGRAM\"; else echo \"$a $2\"; fi; "
                + "done < \"$STUB/hosts/$2\"");
        for (int n = 1; n <= 3; n++) {
            resolves("web-" + n, "10.0.0." + (n + 1));
        }
    }

    @ParameterizedTest
    @MethodSource("shells")
    void healthyReplicasStayAsTheyAre(String shell, String tool) throws Exception {
        assertEquals(ALL_UP, step(shell, tool, 60, ALL_UP).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aReplicaLeavesAfterTwoFailedProbesInARowAndComesBackOnItsFirstAnswer(String shell, String tool) throws Exception {
        takenOutAfterTwoFailedRounds(shell, tool, "failing");

        answering("web-2");
        Round back = step(shell, tool, 63, WITHOUT_2);
        assertEquals(ALL_UP, back.rotation());
        assertTrue(back.log().contains("web-2 (10.0.0.3): down -> up (probe: ok)"), back.log());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aReplicaThatNeverAnsweredKeepsItsPlaceUntilTheGracePeriodEnds(String shell, String tool) throws Exception {
        failing("web-3");

        assertEquals(ALL_UP, step(shell, tool, 1, ALL_UP).rotation());
        assertEquals(ALL_UP, step(shell, tool, 2, ALL_UP).rotation(), "still starting: within the 30 s grace");
        assertEquals("web-1@10.0.0.2@up,web-2@10.0.0.3@up,web-3@10.0.0.4@down", step(shell, tool, 31, ALL_UP).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aNewAddressIsFollowedAndANameThatNoLongerResolvesIsGone(String shell, String tool) throws Exception {
        resolves("web-1", "10.0.0.9");
        Files.delete(tmp.resolve("hosts/web-3"));

        Round round = step(shell, tool, 60, ALL_UP);

        assertEquals("web-1@10.0.0.9@up,web-2@10.0.0.3@up,web-3@@gone", round.rotation());
        assertTrue(round.log().contains("web-3 (no address): up -> gone (probe: gone)"), round.log());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void whenNoneAnswersEveryReachableReplicaKeepsItsChance(String shell, String tool) throws Exception {
        String twoDown = "web-1@10.0.0.2@down,web-2@10.0.0.3@down,web-3@10.0.0.4@up";
        failing("web-1");
        failing("web-2");
        failing("web-3");
        step(shell, tool, 60, twoDown);

        assertEquals(ALL_UP, step(shell, tool, 61, twoDown).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void whenNoNameResolvesTheRotationStaysAsItWas(String shell, String tool) throws Exception {
        for (int n = 1; n <= 3; n++) {
            Files.delete(tmp.resolve("hosts/web-" + n));
        }

        assertEquals(ALL_UP, step(shell, tool, 60, ALL_UP).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aReplicaThatRefusesConnectionsLeavesAtItsAddress(String shell, String tool) throws Exception {
        takenOutAfterTwoFailedRounds(shell, tool, "refusing");
    }

    /**
     * web-2, seen answering, then answers 503 (failing) or refuses connections (refusing) two rounds in a row:
     * the first keeps it, the second takes it out, at its address.
     */
    private void takenOutAfterTwoFailedRounds(String shell, String tool, String failure) throws Exception {
        assertEquals(ALL_UP, step(shell, tool, 60, ALL_UP).rotation(), "answering once marks it as seen");
        Files.writeString(tmp.resolve(failure).resolve("web-2"), "");

        assertEquals(ALL_UP, step(shell, tool, 61, ALL_UP).rotation(), "one failed probe is not enough");
        Round second = step(shell, tool, 62, ALL_UP);

        assertEquals(WITHOUT_2, second.rotation());
        assertTrue(second.log().contains("web-2 (10.0.0.3): up -> down (probe: fail)"), second.log());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aRoundIsOneCurlWhereCurlSendsRequestsAtOnceAndAProcessAProbeElsewhere(String shell, String tool) throws Exception {
        step(shell, tool, 60, ALL_UP);

        String probes = tool.startsWith("curl") ? "curl" : tool;
        // curl is first asked whether it takes -Z
        long expected = tool.equals(CURL) ? 2 : tool.equals(OLD_CURL) ? 1 + 3 : 3;
        assertEquals(expected, Files.readAllLines(tmp.resolve("calls").resolve(probes)).size(), "invocations of " + probes);
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theFirstRotationHoldsEveryReplicaThatResolves(String shell, String tool) throws Exception {
        Files.delete(tmp.resolve("hosts/web-2"));

        assertEquals("web-1@10.0.0.2@up,web-2@@gone,web-3@10.0.0.4@up", run(shell, tool, List.of("rotation")).rotation());
    }

    // Discovery (DLB_DISCOVER, a swarm's tasks.web): the rotation is the addresses the name resolves to, named after them

    @ParameterizedTest
    @MethodSource("shells")
    void discoveryStartsWithEveryTaskThatResolves(String shell, String tool) throws Exception {
        tasks("10.0.1.5", "10.0.1.12", "10.0.1.7");

        String rotation = discover(shell, tool, List.of("rotation")).rotation();

        assertEquals("task-10-0-1-12@10.0.1.12@up,task-10-0-1-5@10.0.1.5@up,task-10-0-1-7@10.0.1.7@up", rotation);
        for (String entry : rotation.split(",")) {
            String[] parts = entry.split("@");
            assertEquals(SwarmTopology.taskName(parts[1]), parts[0], "the name the deploy goal expects for " + parts[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("shells")
    void discoveryStartsWhenNoTaskResolvesYetAndTakesTheFirstThatAnswers(String shell, String tool) throws Exception {
        String none = "tasks.web@@gone";
        assertEquals(none, discover(shell, tool, List.of("rotation")).rotation());
        assertEquals(none, discoverStep(shell, tool, 1, none).rotation(), "still nothing: the back keeps what it has");

        tasks("10.0.1.5");
        Round first = discoverStep(shell, tool, 2, none);

        assertEquals("task-10-0-1-5@10.0.1.5@up", first.rotation());
        assertTrue(first.log().contains("task-10-0-1-5 (10.0.1.5): new -> up (probe: ok)"), first.log());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aNewTaskJoinsOnItsFirstAnswerAndNotBefore(String shell, String tool) throws Exception {
        String two = "task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up";
        tasks("10.0.1.5", "10.0.1.6", "10.0.1.9");
        failing("task-10-0-1-9");

        String starting = "task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up,task-10-0-1-9@10.0.1.9@down";
        assertEquals(starting, discoverStep(shell, tool, 60, two).rotation(), "a task that does not answer yet gets no request");
        assertEquals(starting, discoverStep(shell, tool, 61, starting).rotation());

        answering("task-10-0-1-9");
        assertEquals("task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up,task-10-0-1-9@10.0.1.9@up",
                discoverStep(shell, tool, 62, starting).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aTaskThatNoLongerResolvesLeavesAtOnceWithItsState(String shell, String tool) throws Exception {
        String three = "task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up,task-10-0-1-7@10.0.1.7@up";
        tasks("10.0.1.5", "10.0.1.6", "10.0.1.7");
        assertEquals(three, discoverStep(shell, tool, 60, three).rotation());
        assertTrue(Files.exists(tmp.resolve("state/task-10-0-1-6.seen")));

        tasks("10.0.1.5", "10.0.1.7");
        Round round = discoverStep(shell, tool, 61, three);

        assertEquals("task-10-0-1-5@10.0.1.5@up,task-10-0-1-7@10.0.1.7@up", round.rotation());
        assertTrue(round.log().contains("task-10-0-1-6 (10.0.1.6): up -> gone (no longer resolves)"), round.log());
        assertTrue(Files.notExists(tmp.resolve("state/task-10-0-1-6.seen")) && Files.notExists(tmp.resolve("state/task-10-0-1-6.probe")),
                "a later task on the same address starts afresh");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aTaskThatStopsAnsweringLeavesAsANamedReplicaDoes(String shell, String tool) throws Exception {
        String two = "task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up";
        tasks("10.0.1.5", "10.0.1.6");
        assertEquals(two, discoverStep(shell, tool, 60, two).rotation());
        failing("task-10-0-1-6");

        assertEquals(two, discoverStep(shell, tool, 61, two).rotation(), "one failed probe is not enough");
        assertEquals("task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@down", discoverStep(shell, tool, 62, two).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aTaskThatRefusesConnectionsLeavesAtItsAddress(String shell, String tool) throws Exception {
        String two = "task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up";
        tasks("10.0.1.5", "10.0.1.6");
        assertEquals(two, discoverStep(shell, tool, 60, two).rotation());
        refusing("task-10-0-1-6");
        Files.delete(tmp.resolve("hosts/task-10-0-1-6")); // a task's own name never resolves: it is probed at its address

        assertEquals(two, discoverStep(shell, tool, 61, two).rotation(), "one failed probe is not enough");
        assertEquals("task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@down", discoverStep(shell, tool, 62, two).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void whenTheNameStopsResolvingTheRotationStaysAsItWas(String shell, String tool) throws Exception {
        String two = "task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up";

        assertEquals(two, discoverStep(shell, tool, 60, two).rotation());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void whereGetentListsOneAddressNslookupAddsTheRest(String shell, String tool) throws Exception {
        tasks("10.0.1.5", "10.0.1.6", "10.0.1.7");
        Files.writeString(tmp.resolve("musl-getent"), "");
        // BusyBox's nslookup: the server's own address first, then each of the name's
        stub("nslookup", "echo 'Server:    127.0.0.11'; echo 'Address 1: 127.0.0.11'; echo; echo \"Name:      $1\"; n=0; "
                + "while read -r a; do n=$((n + 1)); echo \"Address $n: $a shop_web.$n.x.shop_dlb-web\"; done < \"$STUB/hosts/$1\"");

        assertEquals("task-10-0-1-5@10.0.1.5@up,task-10-0-1-6@10.0.1.6@up,task-10-0-1-7@10.0.1.7@up",
                discover(shell, tool, List.of("rotation")).rotation());
    }

    private void tasks(String... addresses) throws IOException {
        Files.writeString(tmp.resolve("hosts").resolve("tasks.web"), String.join("\n", addresses) + "\n");
        for (String a : addresses) {
            resolves("task-" + a.replace('.', '-'), a); // the probe stubs tell tasks apart by the Host header: their name
        }
    }

    private Round discoverStep(String shell, String tool, int elapsed, String applied) throws Exception {
        return discover(shell, tool, List.of("step", Integer.toString(elapsed), applied));
    }

    private Round discover(String shell, String tool, List<String> args) throws Exception {
        discovering = true;
        return run(shell, tool, args);
    }

    private boolean discovering;

    private record Round(String rotation, String log) {
    }

    private Round step(String shell, String tool, int elapsed, String applied) throws Exception {
        return run(shell, tool, List.of("step", Integer.toString(elapsed), applied));
    }

    private Round run(String shell, String tool, List<String> args) throws Exception {
        probeTool(tool);
        Path tools = shell.equals("busybox") ? busyboxApplets() : gnuTools();
        List<String> command = new ArrayList<>(List.of(tools.resolve("sh").toString(), script.toString()));
        command.addAll(args);
        Path err = tmp.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().put("PATH", stubs + ":" + tools);
        builder.environment().put("STUB", tmp.toString());
        if (discovering) {
            builder.environment().put("DLB_DISCOVER", "tasks.web");
        } else {
            builder.environment().put("DLB_UPSTREAMS", "web-1,web-2,web-3");
        }
        builder.environment().put("DLB_WATCH_STATE", tmp.resolve("state").toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the script did not finish");
        String log = Files.readString(err);
        assertEquals(0, process.exitValue(), log);
        return new Round(out.strip(), log);
    }

    /**
     * The probe's tool. Each invocation is counted in calls/TOOL. A replica answers 503 when failing/NAME
     * exists, and refuses the connection when refusing/NAME does. {@code curl -H 'Host: NAME' URL} prints
     * the status ({@code 000} refused); {@code curl -Z ... [--resolve NAME:80:ADDRESS] URL...} prints, for
     * each URL ({@code http://NAME/...}), its {@code -w} format with the URL, the status and the address
     * it reached (the --resolve one, or the name's), none when refused or not resolving, as curl does; the
     * old curl rejects -Z as an unknown option. {@code wget -S --header 'Host: NAME' ...} shows the status
     * line as wget does.
     */
    private void probeTool(String tool) throws IOException {
        String count = "echo >> \"$STUB/calls/${0##*/}\"; ";
        String host = "for a; do case \"$a\" in 'Host: '*) n=\"${a#Host: }\" ;; esac; done; ";
        String answer = "if [ -e \"$STUB/refusing/$n\" ]; then code=000; elif [ -e \"$STUB/failing/$n\" ]; then code=503; else code=200; fi; ";
        if (tool.startsWith("curl")) {
            String multi = "case \" $* \" in *' -Z '*) ;; *) false ;; esac && { "
                    + (tool.equals(OLD_CURL) ? "echo 'curl: option -Z: is unknown' >&2; exit 2; } " : multiRequests() + "; exit 0; } ")
                    + "; ";
            stub("curl", count + multi + host + answer + "printf $code; [ $code = 200 ]");
        } else {
            stub("wget", count + host + "if [ -e \"$STUB/refusing/$n\" ]; then echo 'wget: can not connect to remote host: Connection refused' >&2; exit 4; fi; "
                    + "if [ -e \"$STUB/failing/$n\" ]; then echo '  HTTP/1.1 503 Service Unavailable' >&2; exit 1; fi; "
                    + "echo '  HTTP/1.1 200 OK' >&2");
        }
    }

    /** dash as sh with the GNU tools the watcher needs, and nothing else: no curl or wget of the host's. */
    private Path gnuTools() throws IOException {
        Path dir = tmp.resolve("gnu");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.createSymbolicLink(dir.resolve("sh"), Path.of("/usr/bin/dash"));
            for (String tool : GNU_TOOLS) {
                Files.createSymbolicLink(dir.resolve(tool), Path.of("/usr/bin", tool));
            }
        }
        return dir;
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

    /** curl -Z's answers, in reverse order of the URLs, since they come as each transfer ends. */
    private static String multiRequests() {
        return "resolved=''; format=''; urls=''; "
                + "while [ $# -gt 0 ]; do case \"$1\" in --resolve) resolved=\"$resolved $2\"; shift ;; -w) format=\"$2\"; shift ;; "
                + "http://*) urls=\"$1 $urls\" ;; esac; shift; done; "
                + "for url in $urls; do n=\"${url#http://}\"; n=\"${n%%/*}\"; ip=''; "
                + "for r in $resolved; do case \"$r\" in \"$n\":80:*) ip=\"${r#\"$n\":80:}\"; ip=\"${ip#[}\"; ip=\"${ip%]}\" ;; esac; done; "
                + "[ -n \"$ip\" ] || { [ -r \"$STUB/hosts/$n\" ] && read -r ip < \"$STUB/hosts/$n\"; }; "
                + "if [ -z \"$ip\" ]; then code=000; else " + "if [ -e \"$STUB/refusing/$n\" ]; then code=000; ip=''; "
                + "elif [ -e \"$STUB/failing/$n\" ]; then code=503; else code=200; fi; fi; "
                + "printf \"$(printf '%s' \"$format\" | sed -e \"s|%{url_effective}|$url|g\" -e \"s|%{http_code}|$code|g\" "
                + "-e \"s|%{remote_ip}|$ip|g\")\"; done";
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

    private void refusing(String name) throws IOException {
        Files.writeString(tmp.resolve("refusing").resolve(name), "");
    }

    private void answering(String name) throws IOException {
        Files.delete(tmp.resolve("failing").resolve(name));
    }
}
