package dev.dlb.core.spec;

import static dev.dlb.core.testing.SpecBuilder.spec;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.testing.SpecBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator's newer rules: where a user's confd resource may render to and from which template,
 * characters that would break a rendered configuration and resource limits.
 * Each bad input yields exactly one problem naming the XML path, the bad value, the reason and a fix.
 */
class SpecValidatorRulesTest {

    private static final String TOML = "<web><confdDirectory>/conf.d/site.toml";
    private static final AtomicInteger DIRS = new AtomicInteger();

    @TempDir
    static Path tmp;

    static Stream<Arguments> oneProblem() {
        return Stream.of(
                // confd resources: dest outside the writable roots, src naming no template
                problem("toml dest /etc/passwd", b -> b.confdDirectory(resource("/etc/passwd")), TOML + " dest", "/etc/passwd"),
                problem("toml dest in httpd's own conf", b -> b.confdDirectory(resource("/usr/local/apache2/conf/httpd.conf")),
                        TOML + " dest", "/usr/local/apache2/conf/httpd.conf"),
                problem("toml dest escaping the document root with ..",
                        b -> b.confdDirectory(resource("/usr/local/apache2/htdocs/../conf/httpd.conf")),
                        TOML + " dest", "/usr/local/apache2/htdocs/../conf/httpd.conf"),
                problem("toml dest escaping /etc/dlb with ..", b -> b.confdDirectory(resource("/etc/dlb/../passwd")),
                        TOML + " dest", "/etc/dlb/../passwd"),
                problem("toml dest in a sibling sharing the prefix", b -> b.confdDirectory(resource("/srv/dlb/shared-not/x")),
                        TOML + " dest", "/srv/dlb/shared-not/x"),
                problem("toml dest that is the shared mount itself", b -> b.confdDirectory(resource("/srv/dlb/shared")),
                        TOML + " dest", "/srv/dlb/shared"),
                problem("toml dest relative", b -> b.confdDirectory(resource("htdocs/index.html")), TOML + " dest", "htdocs/index.html"),
                problem("toml src naming a missing template", b -> b.confdDirectory(resource("missing.tmpl", "/etc/dlb/site.conf")),
                        TOML + " src", "missing.tmpl"),
                problem("toml src climbing out of templates/", b -> b.confdDirectory(resource("../../etc/shadow", "/etc/dlb/x")),
                        TOML + " src", "../../etc/shadow"),
                problem("toml src in a subdirectory", b -> b.confdDirectory(resource("sub/site.tmpl", "/etc/dlb/x")),
                        TOML + " src", "sub/site.tmpl"),
                problem("toml without [template] table", b -> b.confdDirectory(confd("src = \"site.tmpl\"\ndest = \"/etc/dlb/x\"\n")),
                        TOML, "[template] src/dest"),
                // values that would end a directive or a quoted string in a rendered configuration
                problem("env value with double quotes", b -> b.env("GREETING", "say \"hi\""), "<web><environment><GREETING>", "say \"hi\""),
                problem("env value with an opening brace", b -> b.env("GREETING", "{{ .Secret"), "<web><environment><GREETING>", "{{ .Secret"),
                problem("env value with a closing brace", b -> b.env("GREETING", "a}b"), "<web><environment><GREETING>", "a}b"),
                problem("env value with a carriage return", b -> b.env("GREETING", "a\rb"), "<web><environment><GREETING>", "a\\rb"),
                problem("env value with NUL", b -> b.env("GREETING", "a\0b"), "<web><environment><GREETING>", "a\\0b"),
                problem("replica env value with a quote", b -> b.replicaEnv(2, "COLOR", "red\"; Header set X 1"),
                        "<web><replicaEnvironments><replicaEnvironment replica=2><environment><COLOR>", "red\"; Header set X 1"),
                // limits
                problem("web memory not a size", b -> b.webLimits("lots", 512), "<web><memory>", "lots"),
                problem("web memory with a space and unit", b -> b.webLimits("256 MB", 512), "<web><memory>", "256 MB"),
                problem("web memory too small", b -> b.webLimits("8m", 512), "<web><memory>", "8m"),
                problem("web memory negative", b -> b.webLimits("-1", 512), "<web><memory>", "-1"),
                problem("web memory that overflows", b -> b.webLimits("999999999999g", 512), "<web><memory>", "999999999999g"),
                problem("web memory missing", b -> b.webLimits(null, 512), "<web><memory>", "null"),
                problem("web pids zero", b -> b.webLimits("256m", 0), "<web><pids>", "0"),
                problem("web pids too few", b -> b.webLimits("256m", 15), "<web><pids>", "15"),
                problem("web pids absurd", b -> b.webLimits("256m", 1_000_000), "<web><pids>", "1000000"),
                problem("balancer memory not a size", b -> b.balancerLimits("1x", 128), "<balancer><memory>", "1x"),
                problem("balancer pids negative", b -> b.balancerLimits("128m", -1), "<balancer><pids>", "-1"),
                // httpd's worker threads and the process limit they count against
                problem("web workers too few", b -> b.workers(8), "<web><workers>", "8"),
                problem("web workers negative", b -> b.workers(-1), "<web><workers>", "-1"),
                problem("web workers absurd", b -> b.workers(100_000), "<web><workers>", "100000"),
                problem("web pids too few for the workers", b -> b.webLimits("256m", 200), "<web><pids>", "200"),
                // the balancer's timeouts, passive checks and sizes
                problem("connect timeout without a unit", b -> b.tuning(tuning("1", "3s", 0, "10s", 4096, 64)), "<balancer><connectTimeout>", "1"),
                problem("read timeout with a space", b -> b.tuning(tuning("1s", "3 s", 0, "10s", 4096, 64)), "<balancer><readTimeout>", "3 s"),
                problem("read timeout zero", b -> b.tuning(tuning("1s", "0s", 0, "10s", 4096, 64)), "<balancer><readTimeout>", "0s"),
                problem("fail timeout negative", b -> b.tuning(tuning("1s", "3s", 1, "-1s", 4096, 64)), "<balancer><failTimeout>", "-1s"),
                problem("max fails negative", b -> b.tuning(tuning("1s", "3s", -1, "10s", 4096, 64)), "<balancer><maxFails>", "-1"),
                problem("max fails absurd", b -> b.tuning(tuning("1s", "3s", 101, "10s", 4096, 64)), "<balancer><maxFails>", "101"),
                problem("worker connections too few", b -> b.tuning(tuning("1s", "3s", 0, "10s", 100, 16)),
                        "<balancer><workerConnections>", "100"),
                problem("worker connections above the open files", b -> b.tuning(tuning("1s", "3s", 0, "10s", 9000, 64)),
                        "<balancer><workerConnections>", "9000"),
                problem("keepalive zero", b -> b.tuning(tuning("1s", "3s", 0, "10s", 4096, 0)), "<balancer><keepalive>", "0"),
                problem("keepalive above half the connections", b -> b.tuning(tuning("1s", "3s", 0, "10s", 1024, 600)),
                        "<balancer><keepalive>", "600"),
                problem("health interval not a duration", b -> b.healthCheck(new HealthCheck(true, "fast", "2s", 2)),
                        "<balancer><healthCheck><interval>", "fast"),
                problem("health timeout without a unit", b -> b.healthCheck(new HealthCheck(true, "1s", "2", 2)),
                        "<balancer><healthCheck><timeout>", "2"),
                problem("health failures zero", b -> b.healthCheck(new HealthCheck(true, "1s", "2s", 0)),
                        "<balancer><healthCheck><failures>", "0"),
                problem("balancer pids too few for the health check", b -> b.balancerLimits("128m", 32), "<balancer><pids>", "32"),
                // Swarm
                problem("placement without an operator", b -> b.swarm(swarm(List.of("node.role"), List.of(), 1, "1s", "start-first", "local")),
                        "<swarm><placement><constraint>", "node.role"),
                problem("placement on an unknown attribute", b -> b.swarm(swarm(List.of("node.colour==red"), List.of(), 1, "1s", "start-first", "local")),
                        "<swarm><placement><constraint>", "node.colour==red"),
                problem("balancer placement with a quote", b -> b.swarm(swarm(List.of(), List.of("node.role==\"manager\""), 1, "1s", "start-first", "local")),
                        "<swarm><balancerPlacement><constraint>", "node.role==\"manager\""),
                problem("update parallelism zero", b -> b.swarm(swarm(List.of(), List.of(), 0, "1s", "start-first", "local")),
                        "<swarm><updateParallelism>", "0"),
                problem("update delay without a unit", b -> b.swarm(swarm(List.of(), List.of(), 1, "5", "start-first", "local")),
                        "<swarm><updateDelay>", "5"),
                problem("update order unknown", b -> b.swarm(swarm(List.of(), List.of(), 1, "1s", "first-start", "local")),
                        "<swarm><updateOrder>", "first-start"),
                problem("volume driver with a space", b -> b.swarm(swarm(List.of(), List.of(), 1, "1s", "start-first", "my driver")),
                        "<swarm><volumeDriver>", "my driver"),
                // access logs
                problem("web access log unknown", b -> b.webAccessLog("fast"), "<web><accessLog>", "fast"),
                problem("balancer access log unknown", b -> b.tuning(new BalancerTuning("1s", "3s", 0, "10s", 4096, 64, "buffer=64k")),
                        "<balancer><accessLog>", "buffer=64k"));
    }

    private static SwarmSpec swarm(List<String> placement, List<String> balancerPlacement, int parallelism, String delay, String order,
                                   String driver) {
        return new SwarmSpec(placement, balancerPlacement, parallelism, delay, order, driver);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void oneProblem(String name, Function<SpecBuilder, SpecBuilder> change, String xmlPath, String value) {
        ValidationAssertions.assertOneProblem(change.apply(spec()), xmlPath, value);
    }

    @Test
    void destOutsideTheWritableRootsNamesEveryRootAndSuggestsTheDocumentRoot() {
        Problem p = invalid(spec().confdDirectory(resource("/etc/passwd"))).problems().get(0);

        assertTrue(p.reason().contains("/usr/local/apache2/htdocs/, /etc/dlb/, /srv/dlb/shared/"), p::reason);
        assertEquals("render into the document root, e.g. /usr/local/apache2/htdocs/passwd", p.fix());
    }

    @Test
    void missingTemplateNamesTheDirectoryAndTheFix() {
        Path dir = resource("missing.tmpl", "/etc/dlb/site.conf");
        Problem p = invalid(spec().confdDirectory(dir)).problems().get(0);

        assertEquals("no such template in " + dir.resolve("templates"), p.reason());
        assertEquals("add templates/missing.tmpl or correct src", p.fix());
    }

    @Test
    void forbiddenCharactersAreNamedInTheReason() {
        Problem p = invalid(spec().env("GREETING", "{x}")).problems().get(0);

        assertTrue(p.reason().contains("double quotes or braces"), p::reason);
    }

    @Test
    void goodValuesPass() {
        assertAll(
                () -> assertDoesNotThrow(() -> requireValid(spec().confdDirectory(resource("/usr/local/apache2/htdocs/a/b.html")))),
                () -> assertDoesNotThrow(() -> requireValid(spec().confdDirectory(resource("/etc/dlb/site.conf")))),
                () -> assertDoesNotThrow(() -> requireValid(spec().confdDirectory(resource("/srv/dlb/shared/state.txt")))),
                () -> assertDoesNotThrow(() -> requireValid(spec().confdDirectory(
                        resource("dlb-index.html.tmpl", "/usr/local/apache2/htdocs/copy.html")))),
                () -> assertDoesNotThrow(() -> requireValid(spec().env("GREETING", "O'Brien & co: <b>50%</b> $HOME; a=b"))),
                () -> assertDoesNotThrow(() -> requireValid(spec().webLimits("16m", 16).workers(0).balancerLimits("1g", 100_000))),
                () -> assertDoesNotThrow(() -> requireValid(spec().webLimits("16m", 48).workers(16))),
                () -> assertDoesNotThrow(() -> requireValid(spec().balancerLimits("128m", 16).healthCheck(new HealthCheck(false, "1s", "2s", 2)))),
                () -> assertDoesNotThrow(() -> requireValid(spec().tuning(tuning("500ms", "2m", 3, "30s", 256, 128)))),
                () -> assertDoesNotThrow(() -> requireValid(spec().webLimits("268435456", 512).balancerLimits("512M", 128))),
                () -> assertDoesNotThrow(() -> requireValid(spec().swarm(swarm(List.of("node.labels.tier == web", "node.platform.arch!=s390x",
                        "engine.labels.disk==ssd", "node.hostname!=build-1.example"), List.of("node.role==manager"), 64, "500ms", "stop-first",
                        "vieux/sshfs:latest")))));
    }

    private static BalancerTuning tuning(String connect, String read, int maxFails, String failTimeout, int connections, int keepalive) {
        return new BalancerTuning(connect, read, maxFails, failTimeout, connections, keepalive);
    }

    private static Arguments problem(String name, Function<SpecBuilder, SpecBuilder> change, String xmlPath, String value) {
        return Arguments.of(name, change, xmlPath, value);
    }

    /** A confd directory whose one resource renders templates/site.tmpl (which exists) to {@code dest}. */
    private static Path resource(String dest) {
        return resource("site.tmpl", dest);
    }

    private static Path resource(String src, String dest) {
        return confd("[template]\nsrc = \"" + src + "\"\ndest = \"" + dest + "\"\nkeys = [\"/dlb\"]\n");
    }

    private static Path confd(String toml) {
        return SpecBuilder.files(tmp.resolve("confd-" + DIRS.incrementAndGet()),
                Map.of("conf.d/site.toml", toml, "templates/site.tmpl", "hello {{getenv \"GREETING\"}}\n"));
    }

    private static InvalidSpecException invalid(SpecBuilder b) {
        return ValidationAssertions.invalid(b);
    }

    private static void requireValid(SpecBuilder b) {
        ValidationAssertions.requireValid(b);
    }
}
