package dev.dlb.core.spec;

import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.testing.SpecBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

    @TempDir
    static Path tmp;

    static Stream<Arguments> oneProblem() {
        return Stream.of(
                problem("replicas 0", b -> b.replicas(0), "<web><replicas>", "0"),
                problem("replicas -1", b -> b.replicas(-1), "<web><replicas>", "-1"),
                problem("replicas 1000", b -> b.replicas(1000), "<web><replicas>", "1000"),
                problem("port -1", b -> b.port(-1), "<balancer><port>", "-1"),
                problem("port 70000", b -> b.port(70000), "<balancer><port>", "70000"),
                problem("unknown strategy", b -> b.strategy("random"), "<balancer><strategy>", "random"),
                problem("bind address of another host", b -> b.bindAddress("203.0.113.7"), "<balancer><bindAddress>", "203.0.113.7"),
                problem("bind host name", b -> b.bindAddress("localhost"), "<balancer><bindAddress>", "localhost"),
                problem("bind host name of hex letters", b -> b.bindAddress("cafe"), "<balancer><bindAddress>", "cafe"),
                problem("bind dotted non-address", b -> b.bindAddress("999.1.1.1"), "<balancer><bindAddress>", "999.1.1.1"),
                problem("remote engine: bind host name", b -> b.reach("docker", false).bindAddress("docker"), "<balancer><bindAddress>",
                        "docker"),
                problem("balancer host with a scheme", b -> b.reach("http://docker", false), "<balancer><host>", "http://docker"),
                problem("balancer host with a port", b -> b.reach("docker:2375", false), "<balancer><host>", "docker:2375"),
                problem("balancer host with a path", b -> b.reach("docker/", true), "<balancer><host>", "docker/"),
                problem("missing content dir", b -> b.content(tmp.resolve("no-content")), "<web><contentDirectory>",
                        tmp.resolve("no-content").toString()),
                problem("missing confd dir", b -> b.confdDirectory(tmp.resolve("no-confd")), "<web><confdDirectory>",
                        tmp.resolve("no-confd").toString()),
                problem("confd dir without conf.d/ or templates/", b -> b.confdDirectory(dir("flat-confd")), "<web><confdDirectory>",
                        tmp.resolve("flat-confd").toString()),
                problem("env name starting with a digit", b -> b.env("1ABC", "x"), "<web><environment><1ABC>", "x"),
                problem("env name with a dash", b -> b.env("A-B", "x"), "<web><environment><A-B>", "x"),
                problem("env name DLB_ reserved", b -> b.env("DLB_REPLICA", "9"), "<web><environment><DLB_REPLICA>", "9"),
                problem("env name dlb_ reserved in any case", b -> b.env("dlb_x", "9"), "<web><environment><dlb_x>", "9"),
                problem("env value with a newline", b -> b.env("GREETING", "a\nb"), "<web><environment><GREETING>", "a\\nb"),
                problem("replica env for replica 5 of 3", b -> b.replicaEnv(5, "COLOR", "red"),
                        "<web><replicaEnvironments><replicaEnvironment><replica>", "5"),
                problem("replica env with a reserved name", b -> b.replicaEnv(2, "DLB_REPLICA", "7"),
                        "<web><replicaEnvironments><replicaEnvironment replica=2><environment><DLB_REPLICA>", "7"),
                problem("uppercase image", b -> b.webImage("Shop/Web:1"), "<web><image>", "Shop/Web:1"),
                problem("image with a space", b -> b.balancerImage("shop balancer"), "<balancer><image>", "shop balancer"),
                problem("image with an empty tag", b -> b.webBase("httpd:"), "<web><baseImage>", "httpd:"),
                problem("empty image", b -> b.balancerBase(""), "<balancer><baseImage>", ""),
                problem("confd binary missing", b -> b.confdBinary(tmp.resolve("no-confd-binary")), "<confd><binary>",
                        tmp.resolve("no-confd-binary").toString()),
                problem("confd without a version", b -> b.confdVersion(null), "<confd><version>", "null"),
                problem("confd version not a semver", b -> b.confdVersion("latest"), "<confd><version>", "latest"),
                problem("confd version that would reach the shell", b -> b.confdVersion("0.30.0;id"), "<confd><version>", "0.30.0;id"),
                problem("confd builder image with a space", b -> b.confdBuilder("golang 1.22"), "<confd><builderImage>", "golang 1.22"),
                problem("ready timeout zero", b -> b.readyTimeout(Duration.ZERO), "<readyTimeout>", "0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void oneProblem(String name, Function<SpecBuilder, SpecBuilder> change, String xmlPath, String value) {
        ValidationAssertions.assertOneProblem(change.apply(spec()), xmlPath, value);
    }

    @Test
    void listsEveryProblemAtOnce() {
        InvalidSpecException e = invalid(spec().replicas(0).port(70000).strategy("random").env("A-B", "x")
                .confdVersion("nope"));

        assertEquals(List.of("<web><replicas>", "<web><environment><A-B>", "<balancer><port>", "<balancer><strategy>",
                "<confd><version>"), e.problems().stream().map(Problem::xmlPath).toList());
        assertTrue(e.getMessage().startsWith("Invalid dlb configuration (5 problems):"), e::getMessage);
        assertEquals(5, e.getMessage().split("\n  - ").length - 1, e::getMessage);
    }

    @Test
    void unknownStrategyFixNamesEveryStrategy() {
        Problem p = invalid(spec().strategy("random")).problems().get(0);

        assertTrue(p.fix().contains("round-robin, least-connections, ip-hash"), p::fix);
    }

    @Test
    void validSpecPasses() {
        Path content = SpecBuilder.files(tmp.resolve("content"), Map.of("index.html", "<h1>hi</h1>"));
        Path confd = SpecBuilder.files(tmp.resolve("confd"), Map.of("templates/x.tmpl", "x"));
        Path binary = SpecBuilder.files(tmp.resolve("bin"), Map.of("confd", "#!/bin/sh")).resolve("confd");

        assertAll(
                () -> assertDoesNotThrow(() -> requireValid(spec())),
                () -> assertDoesNotThrow(() -> requireValid(spec().replicas(1).port(65535).strategy("IP_HASH")
                        .bindAddress("0.0.0.0").content(content).confdDirectory(confd).confdBinary(binary).confdVersion(null)
                        .env("GREETING", "hello").replicaEnv(1, "COLOR", "blue"))),
                () -> assertDoesNotThrow(() -> requireValid(spec().confdVersion("0.41.1").confdBuilder("registry.example:5000/go/golang:1.24"))),
                () -> assertDoesNotThrow(() -> requireValid(spec().confdVersion("0.30.0-rc.1"))),
                () -> assertDoesNotThrow(() -> requireValid(spec().replicas(SpecValidator.MAX_REPLICAS).bindAddress("::1")
                        .webImage("registry.example:5000/team/shop-web:1.0_rc-1"))));
    }

    /** An engine elsewhere publishes on its own machine's addresses, which this machine cannot check: only the engine can. */
    @Test
    void aRemoteEnginesBindAddressIsNotCheckedAgainstThisMachine() {
        assertAll(
                () -> assertDoesNotThrow(() -> requireValid(spec().reach("docker", false).bindAddress("203.0.113.7"))),
                () -> assertDoesNotThrow(() -> requireValid(spec().reach("engine-1.ci.example", false).bindAddress("0.0.0.0"))),
                () -> assertDoesNotThrow(() -> requireValid(spec().reach("fd00::7", false).bindAddress("::"))),
                () -> ValidationAssertions.assertOneProblem(spec().reach("docker", true).bindAddress("203.0.113.7"), "<balancer><bindAddress>",
                        "203.0.113.7"));
    }

    private static Arguments problem(String name, Function<SpecBuilder, SpecBuilder> change, String xmlPath, String value) {
        return Arguments.of(name, change, xmlPath, value);
    }

    private static Path dir(String name) {
        return SpecBuilder.files(tmp.resolve(name), Map.of("stray.toml", ""));
    }

    private static InvalidSpecException invalid(SpecBuilder b) {
        return ValidationAssertions.invalid(b);
    }

    private static void requireValid(SpecBuilder b) {
        ValidationAssertions.requireValid(b);
    }
}
