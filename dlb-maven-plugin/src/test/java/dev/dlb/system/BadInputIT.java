package dev.dlb.system;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.DockerJavaEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.render.OutputTree;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.run.ImageBuilder;
import dev.dlb.core.run.ImageBuilder.ImageRequest;
import dev.dlb.core.run.JdkHttpProbe;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.StackException;
import dev.dlb.core.run.StackStarter;
import dev.dlb.core.spec.BalancerSpec;
import dev.dlb.core.spec.ConfdSpec;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import dev.dlb.core.spec.SpecValidator;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import dev.dlb.core.spec.WebSpec;
import dev.dlb.core.testing.Owners;
import dev.dlb.core.tool.ConfdCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs that only the real environment can show: confd's own verdict on a template, a port
 * something else listens on, names another tool already uses, an engine that does not answer and
 * base images that are not there. Every failure must name the parameter, the bad value and the fix,
 * happen before anything is created, and leave whatever the user had untouched.
 */
class BadInputIT {

    private static final String MISSING_BASE = "dlb-bad-input/no-such-base:0";
    /** What the base-image cases would build: never the shared system-test tag, in case a build got that far. */
    private static final String NEVER_BUILT = "dlb/bad-input-web:never";

    // ---- confd's own check of the templates, run on the host before any image or container exists

    @Test
    void confdTemplateWithASyntaxErrorFailsWithConfdsOwnMessage() throws Exception {
        StackSpec spec = withConfdDirectory(RealStack.spec("bad-confd-syntax"), confdDirectory("bad-confd-syntax",
                "<p>hello</p>\n<p>{{getenv \"GREETING\"\n"));
        Path etc = render(spec);
        assertDoesNotThrow(() -> SpecValidator.requireValid(spec, localConfd()), "the validator cannot see inside a template");

        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> ConfdCheck.check(RealStack.confdBinary(), etc, Topology.webEnvironment(spec.web(), 1)));

        assertEquals(1, e.problems().size(), e::getMessage);
        Problem p = e.problems().get(0);
        assertEquals("<web><confdDirectory>", p.xmlPath());
        assertEquals("templates/site.tmpl", p.value());
        assertTrue(p.reason().startsWith("confd cannot render it: "), p::reason);
        assertTrue(p.reason().contains("unclosed action started at site.tmpl:2"), "confd's own words, naming the line: " + p.reason());
        assertTrue(p.reason().contains(etc.resolve("templates").resolve("site.tmpl").toString()),
                "names the file as built, not confd's scratch copy: " + p.reason());
        assertFalse(p.reason().contains("dlb-confd-check"), p::reason);
        assertTrue(e.getMessage().contains("<web><confdDirectory> = 'templates/site.tmpl': confd cannot render it: "), e::getMessage);
        assertTrue(e.getMessage().contains("Fix: correct the template at the line confd names"), e::getMessage);
    }

    @Test
    void confdTemplateCallingAnUnknownFunctionFailsWithConfdsOwnMessage() throws Exception {
        StackSpec spec = withConfdDirectory(RealStack.spec("bad-confd-func"), confdDirectory("bad-confd-func",
                "<p>{{nosuchfunc \"GREETING\"}}</p>\n"));
        Path etc = render(spec);

        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> ConfdCheck.check(RealStack.confdBinary(), etc, Topology.webEnvironment(spec.web(), 1)));

        Problem p = e.problems().get(0);
        assertEquals("<web><confdDirectory>", p.xmlPath());
        assertEquals("templates/site.tmpl", p.value());
        assertTrue(p.reason().contains("function \"nosuchfunc\" not defined"), "confd's own words: " + p.reason());
        assertTrue(e.getMessage().contains("Fix: correct the template"), e::getMessage);
    }

    @Test
    void confdTemplateThatIsValidPasses() throws Exception {
        StackSpec spec = withConfdDirectory(RealStack.spec("bad-confd-good"), confdDirectory("bad-confd-good",
                "<p>{{getenv \"GREETING\"}}</p>\n"));
        Path etc = render(spec);

        assertDoesNotThrow(() -> ConfdCheck.check(RealStack.confdBinary(), etc, Topology.webEnvironment(spec.web(), 1)));
        assertTrue(Files.isRegularFile(etc.resolve("templates/site.tmpl")), "the built files are left as they were");
    }

    // ---- the engine

    @Test
    void fixedPortInUseFailsBeforeAnythingIsCreated() throws Exception {
        try (ServerSocket busy = new ServerSocket(); ContainerEngine engine = RealStack.engine()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = busy.getLocalPort();
            StackSpec spec = withPort(RealStack.spec("bad-port"), port);
            try {
                RealStack.buildImages(engine, spec);

                InvalidSpecException e = assertThrows(InvalidSpecException.class,
                        () -> starter(engine).start(spec, "badport1", Owners.me()));

                assertEquals(1, e.problems().size(), e::getMessage);
                Problem p = e.problems().get(0);
                assertEquals("<balancer><port>", p.xmlPath());
                assertEquals(Integer.toString(port), p.value());
                assertTrue(p.reason().startsWith("the port is already in use on 127.0.0.1"), p::reason);
                assertTrue(e.getMessage().contains("<balancer><port> = '" + port + "': the port is already in use on 127.0.0.1"),
                        e::getMessage);
                assertTrue(e.getMessage().contains("Fix: stop what listens there, choose another port, or use 0 (-Ddlb.balancer.port=0)"),
                        e::getMessage);
                assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()), "nothing of the project was created");
                assertFalse(busy.isClosed(), "the listener is untouched");
            } finally {
                RealStack.removeAll(engine, spec.projectId());
            }
        }
    }

    @Test
    void containerNameClashFailsAndLeavesTheForeignContainerAlone() throws Exception {
        StackSpec spec = RealStack.spec("bad-clash");
        String session = "clash001";
        String planned = "dlb-bad-clash-" + session + "-web-2";
        try (ContainerEngine engine = RealStack.engine()) {
            String foreign = null;
            try {
                RealStack.buildImages(engine, spec);
                foreign = DockerCli.run("create", "--name", planned, spec.web().baseImage()).requireSuccess("docker create").output().strip();

                StackException e = assertThrows(StackException.class, () -> starter(engine).start(spec, session, Owners.me()));

                assertTrue(e.getMessage().contains("Docker already has " + planned + ", not made by this session"), e::getMessage);
                assertTrue(e.getMessage().contains("nothing was created and nothing of it was touched"), e::getMessage);
                assertTrue(e.getMessage().contains("Fix: remove or rename it, or start again"), e::getMessage);
                JsonNode still = DockerCli.inspect("container", planned);
                assertEquals(foreign, still.get("Id").asText(), "the very same container is still there");
                assertEquals("created", still.at("/State/Status").asText());
                assertTrue(still.at("/Config/Labels").isNull() || still.at("/Config/Labels").isEmpty()
                        || !still.at("/Config/Labels").has("dev.dlb.project"), "not relabelled: " + still.at("/Config/Labels"));
                assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()), "nothing of the project was created");
            } finally {
                RealStack.removeAll(engine, spec.projectId());
                if (foreign != null) {
                    DockerCli.run("rm", "-f", foreign).requireSuccess("removing the container this test made"); // by its id
                }
            }
            assertFalse(DockerCli.exists("container", planned));
        }
    }

    @Test
    void volumeNameClashFailsAndLeavesTheForeignVolumeAlone() throws Exception {
        StackSpec spec = RealStack.spec("bad-volume");
        String volume = "dlb-bad-volume-web-data";
        try (ContainerEngine engine = RealStack.engine()) {
            boolean made = false;
            try {
                RealStack.buildImages(engine, spec);
                assertFalse(DockerCli.exists("volume", volume), "no volume of that name before the test");
                DockerCli.run("volume", "create", volume).requireSuccess("docker volume create");
                made = true;
                String created = DockerCli.inspect("volume", volume).get("CreatedAt").asText();

                StackException e = assertThrows(StackException.class, () -> starter(engine).start(spec, "volume01", Owners.me()));

                assertTrue(e.getMessage().contains("Docker already has " + volume + ", not made by this session"), e::getMessage);
                assertTrue(e.getMessage().contains("Fix: remove or rename it"), e::getMessage);
                JsonNode still = DockerCli.inspect("volume", volume);
                assertEquals(created, still.get("CreatedAt").asText(), "the very same volume is still there");
                assertTrue(still.get("Labels").isNull() || still.get("Labels").isEmpty(), "not relabelled: " + still.get("Labels"));
                assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()), "nothing of the project was created");
            } finally {
                RealStack.removeAll(engine, spec.projectId()); // first: a container of the project would hold the volume
                if (made) {
                    DockerCli.run("volume", "rm", volume).requireSuccess("removing the volume this test made");
                }
            }
        }
    }

    @Test
    void engineRefusingConnectionsFailsInUnderTwoSecondsNamingDockerHost() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        } // closed now: nothing listens there
        EngineException e = assertEngineDoesNotAnswer("tcp://127.0.0.1:" + port);
        assertTrue(e.getMessage().contains("Connection refused"), e::getMessage);
    }

    @Test
    void engineThatAcceptsButNeverAnswersFailsInUnderTwoSecondsNamingDockerHost() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            // listens (the kernel completes the connection) but never accepts, reads or answers
            EngineException e = assertEngineDoesNotAnswer("tcp://127.0.0.1:" + silent.getLocalPort());
            assertTrue(e.getMessage().contains("it accepted the connection but gave no answer within 1500 ms"), e::getMessage);
        }
    }

    @Test
    void baseImageMissingAndOfflineFailsWithoutPulling() throws Exception {
        StackSpec spec = withWebBase(RealStack.spec("bad-base-offline"), MISSING_BASE);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (ContainerEngine engine = RealStack.engine()) {
            assertEquals(Optional.empty(), engine.inspectImage(MISSING_BASE));
            Path context = render(spec).getParent();

            StackException e = assertThrows(StackException.class, () -> new ImageBuilder(engine, true, log::add).build(context,
                    new ImageRequest(NEVER_BUILT, MISSING_BASE, "<web><baseImage>", spec.projectId())));

            assertTrue(e.getMessage().startsWith("Base image " + MISSING_BASE + " (<web><baseImage>) is not in the engine and Maven is "
                    + "offline, so it cannot be pulled"), e::getMessage);
            assertTrue(e.getMessage().contains("Fix: set <web><baseImage> to an image present in the engine"), e::getMessage);
            assertTrue(log.stream().noneMatch(l -> l.contains("Pulling") || l.contains("Building")), log::toString);
            assertEquals(Optional.empty(), engine.inspectImage(MISSING_BASE));
            assertEquals(Optional.empty(), engine.inspectImage(NEVER_BUILT));
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    @Test
    void baseImageMissingOnlineThatCannotBePulledSaysSo() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        // a registry on this machine that is not there: the engine's pull fails at once and talks to nothing else
        String base = "127.0.0.1:" + port + "/dlb-bad-input/no-such-base:0";
        StackSpec spec = withWebBase(RealStack.spec("bad-base-online"), base);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (ContainerEngine engine = RealStack.engine()) {
            assertEquals(Optional.empty(), engine.inspectImage(base));
            Path context = render(spec).getParent();

            StackException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(StackException.class,
                    () -> new ImageBuilder(engine, false, log::add).build(context,
                            new ImageRequest(NEVER_BUILT, base, "<web><baseImage>", spec.projectId()))));

            assertTrue(e.getMessage().startsWith("Base image " + base + " (<web><baseImage>) is not in the engine and cannot be pulled: "),
                    e::getMessage);
            assertTrue(e.getMessage().contains("Docker could not pull " + base), e::getMessage);
            assertTrue(e.getMessage().contains("Fix: set <web><baseImage> to an image present in the engine"), e::getMessage);
            assertTrue(log.contains("Pulling " + base), log::toString);
            assertTrue(log.stream().noneMatch(l -> l.contains("Building")), log::toString);
            assertEquals(Optional.empty(), engine.inspectImage(base));
            assertEquals(Optional.empty(), engine.inspectImage(NEVER_BUILT));
            assertEquals(List.of(), RealStack.leftovers(engine, spec.projectId()));
        }
    }

    // ---- helpers

    private static EngineException assertEngineDoesNotAnswer(String dockerHost) throws Exception {
        String before = System.getProperty("DOCKER_HOST");
        System.setProperty("DOCKER_HOST", dockerHost); // docker-java reads it as a system property too, over the environment
        try (ContainerEngine engine = DockerJavaEngine.fromEnvironment()) {
            long start = System.nanoTime();
            EngineException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(EngineException.class, engine::ping));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("ping of " + dockerHost + " failed after " + took.toMillis() + " ms: " + e.getMessage());

            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "failed after " + took.toMillis() + " ms");
            assertTrue(e.getMessage().startsWith("No Docker engine answers at " + dockerHost + " (system property DOCKER_HOST="
                    + dockerHost + "): "), e::getMessage);
            assertTrue(e.getMessage().contains("Fix: start the engine"), e::getMessage);
            assertTrue(e.getMessage().endsWith("or point DOCKER_HOST at it"), e::getMessage);
            return e;
        } finally {
            if (before == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", before);
            }
        }
    }

    private static StackStarter starter(ContainerEngine engine) {
        return new StackStarter(engine, new JdkHttpProbe(), Pacer.system(), System.out::println);
    }

    /** Renders the spec as render-config does; returns the web image's confd-etc. */
    private static Path render(StackSpec spec) throws IOException {
        new OutputTree(spec.outputDirectory()).write(new StackRenderer().render(spec, RealStack.confdBinary()));
        return spec.outputDirectory().resolve(StackRenderer.WEB).resolve("confd-etc");
    }

    private static ConfdSpec localConfd() {
        return new ConfdSpec(Optional.of(RealStack.confdBinary()), "0.30.0", "golang:1.22-bookworm");
    }

    /** A user confd directory: one resource rendering templates/site.tmpl into the document root. */
    private static Path confdDirectory(String name, String template) throws IOException {
        Path dir = Path.of("target", "system", name + "-src").toAbsolutePath();
        Files.createDirectories(dir.resolve("conf.d"));
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("conf.d/site.toml"),
                "[template]\nsrc = \"site.tmpl\"\ndest = \"/usr/local/apache2/htdocs/site.html\"\nkeys = [\"/dlb\"]\n");
        Files.writeString(dir.resolve("templates/site.tmpl"), template);
        return dir;
    }

    private static StackSpec withConfdDirectory(StackSpec spec, Path confd) {
        WebSpec w = spec.web();
        return spec.withWeb(new WebSpec(w.replicas(), w.baseImage(), w.image(), w.contentDirectory(), Optional.of(confd),
                new TreeMap<>(Map.of("GREETING", "hello")), w.replicaEnvironment(), w.limits(), w.workers()));
    }

    private static StackSpec withWebBase(StackSpec spec, String base) {
        WebSpec w = spec.web();
        return spec.withWeb(new WebSpec(w.replicas(), base, w.image(), w.contentDirectory(), w.confdDirectory(), w.environment(),
                w.replicaEnvironment(), w.limits(), w.workers()));
    }

    private static StackSpec withPort(StackSpec spec, int port) {
        return spec.withBalancer(spec.balancer().withPort(port));
    }
}
