package dev.dlb.core.spec;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a spec before anything is rendered or created, collecting every problem with its XML path and fix. */
public final class SpecValidator {

    public static final int MAX_REPLICAS = 64;
    public static final int MAX_WORKERS = 4096;
    private static final int WORKER_HEADROOM = 32;
    private static final int HEALTH_CHECK_PIDS = 64;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IMAGE_REF = Pattern.compile(
            "[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    /** Only what InetAddress parses without a name lookup: a dotted quad, or hex digits, ':' and '.' with a ':' (IPv6). */
    private static final Pattern IP_LITERAL = Pattern.compile("(?:" + OCTET + "\\.){3}" + OCTET + "|(?=.*:)\\[?[0-9A-Fa-f:][0-9A-Fa-f:.]*]?");
    private static final Pattern CONFD_VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9A-Za-z.-]+)?");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST_NAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern CONSTRAINT = Pattern.compile(
            "(?:node\\.(?:id|hostname|role|platform\\.os|platform\\.arch)|(?:node|engine)\\.labels\\.[A-Za-z0-9_.-]+)\\s*(?:==|!=)\\s*[A-Za-z0-9_.:/-]+");
    private static final Pattern VOLUME_DRIVER = Pattern.compile("[a-z0-9][a-z0-9_.-]*(?:/[a-z0-9][a-z0-9_.-]*)*(?::[A-Za-z0-9_.-]+)?");
    private static final String FORBIDDEN_IN_VALUES = "\n\r\0\"{}";

    private final List<Problem> problems = new ArrayList<>();

    private SpecValidator() {
    }

    /** @throws InvalidSpecException listing every problem found */
    public static void requireValid(StackSpec stack, ConfdSpec confd) {
        SpecValidator v = new SpecValidator();
        v.checkWeb(stack.web());
        v.checkBalancer(stack.balancer());
        v.checkConfd(confd);
        v.checkSwarm(stack.swarm());
        v.check(!stack.readyTimeout().isNegative() && !stack.readyTimeout().isZero(), "<readyTimeout>",
                stack.readyTimeout().toSeconds(), "the wait for readiness must be positive", "give a number of seconds such as 60");
        if (!v.problems.isEmpty()) {
            throw new InvalidSpecException(v.problems);
        }
    }

    private void checkWeb(WebSpec web) {
        check(web.replicas() >= 1 && web.replicas() <= MAX_REPLICAS, "<web><replicas>", web.replicas(),
                "the number of web replicas must be between 1 and " + MAX_REPLICAS,
                "set <web><replicas> (or -Ddlb.web.replicas) to a number in that range, such as 3");
        checkImage("<web><baseImage>", web.baseImage());
        checkImage("<web><image>", web.image());
        checkDirectory("<web><contentDirectory>", web.contentDirectory(), "the directory of static files copied into every replica");
        checkDirectory("<web><confdDirectory>", web.confdDirectory(), "a directory with conf.d/*.toml and templates/*.tmpl");
        web.confdDirectory().filter(Files::isDirectory).ifPresent(this::checkConfdLayout);
        web.confdDirectory().filter(Files::isDirectory).ifPresent(this::checkResources);
        checkLimits("<web>", web.limits());
        checkWorkers(web);
        checkAccessLog("<web><accessLog>", "-Ddlb.web.accessLog", web.accessLog());
        checkEnvironment("<web><environment>", web.environment());
        web.replicaEnvironment().forEach((n, env) -> {
            String path = "<web><replicaEnvironments><replicaEnvironment><replica>";
            check(n >= 1 && n <= web.replicas(), path, n, "there is no replica " + n + " among " + web.replicas(),
                    "use a replica number from 1 to " + web.replicas() + ", or raise <web><replicas>");
            checkEnvironment("<web><replicaEnvironments><replicaEnvironment replica=" + n + "><environment>", env);
        });
    }

    private void checkConfdLayout(Path dir) {
        check(Files.isDirectory(dir.resolve("conf.d")) || Files.isDirectory(dir.resolve("templates")),
                "<web><confdDirectory>", dir, "it has neither a conf.d/ nor a templates/ subdirectory",
                "put template resources in conf.d/*.toml and their templates in templates/");
    }

    /** Every user resource must render a template that exists, into a place a replica may write. */
    private void checkResources(Path dir) {
        Path confD = dir.resolve("conf.d");
        if (!Files.isDirectory(confD)) {
            return;
        }
        try (java.util.stream.Stream<Path> tomls = Files.list(confD)) {
            for (Path toml : tomls.filter(p -> p.toString().endsWith(".toml")).sorted().toList()) {
                checkResource(dir, toml);
            }
        } catch (java.io.IOException e) {
            check(false, "<web><confdDirectory>", confD, "cannot be read: " + e.getMessage(), "check its permissions");
        }
    }

    private void checkResource(Path dir, Path toml) throws java.io.IOException {
        String text = Files.readString(toml);
        String path = "<web><confdDirectory>/conf.d/" + toml.getFileName();
        Optional<String> src = tomlString(text, "src");
        Optional<String> dest = tomlString(text, "dest");
        check(text.contains("[template]") && src.isPresent() && dest.isPresent(), path, "[template] src/dest",
                "a confd resource needs a [template] table with src and dest", "write [template], src = \"NAME.tmpl\" and dest = \"/usr/local/apache2/htdocs/NAME\"");
        src.ifPresent(name -> check(!name.contains("/") && !name.contains("..")
                        && (Files.isRegularFile(dir.resolve("templates").resolve(name)) || DEFAULT_WEB_TEMPLATES.contains(name)),
                path + " src", name, "no such template in " + dir.resolve("templates"), "add templates/" + name + " or correct src"));
        dest.ifPresent(d -> check(isAllowedDest(d), path + " dest", d,
                "confd may only write under " + String.join(", ", Topology.WEB_WRITABLE_ROOTS) + " in a web replica",
                "render into the document root, e.g. /usr/local/apache2/htdocs/" + Path.of(d).getFileName()));
    }

    private static final java.util.Set<String> DEFAULT_WEB_TEMPLATES =
            java.util.Set.of("dlb-httpd.conf.tmpl", "dlb-index.html.tmpl", "dlb-health.tmpl");

    private static boolean isAllowedDest(String dest) {
        String normalized = Path.of(dest).normalize().toString();
        return dest.startsWith("/") && !dest.contains("..")
                && Topology.WEB_WRITABLE_ROOTS.stream().anyMatch(root -> (normalized + "/").startsWith(root) && normalized.length() >= root.length());
    }

    private static Optional<String> tomlString(String toml, String key) {
        java.util.regex.Matcher m = Pattern.compile("(?m)^\\s*" + key + "\\s*=\\s*[\"']([^\"']*)[\"']").matcher(toml);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private void checkLimits(String block, Limits limits) {
        check(limits.memoryBytes().orElse(0) >= 16L << 20, block + "<memory>", limits.memory(),
                "the memory limit must be a size of at least 16m", "write bytes or a number with k, m or g, such as 256m");
        check(pidsInRange(limits), block + "<pids>", limits.pids(),
                "the process and thread limit must be between 16 and 100000", "httpd needs a few hundred; the default is 512");
    }

    /** httpd's threads count against the replica's process limit, with room for its parent and the entrypoint's tools. */
    private void checkWorkers(WebSpec web) {
        check(web.workers() == 0 || (web.workers() >= 16 && web.workers() <= MAX_WORKERS), "<web><workers>", web.workers(),
                "httpd worker threads per replica must be 0 (the base image's own settings) or between 16 and " + MAX_WORKERS,
                "use a number such as 256");
        boolean judgeable = web.workers() > 0 && web.workers() <= MAX_WORKERS && pidsInRange(web.limits());
        check(!judgeable || web.workers() + WORKER_HEADROOM <= web.limits().pids(), "<web><pids>", web.limits().pids(),
                "too few for " + web.workers() + " httpd worker threads (<web><workers>) and " + WORKER_HEADROOM + " more processes",
                "raise <web><pids> to at least " + (web.workers() + WORKER_HEADROOM) + ", or lower <web><workers>");
    }

    private void checkTuning(BalancerTuning tuning) {
        checkDuration("<balancer><connectTimeout>", tuning.connectTimeout());
        checkDuration("<balancer><readTimeout>", tuning.readTimeout());
        checkDuration("<balancer><failTimeout>", tuning.failTimeout());
        check(tuning.maxFails() >= 0 && tuning.maxFails() <= 100, "<balancer><maxFails>", tuning.maxFails(),
                "must be between 0 (no passive check, the default) and 100", "use 0, or a small number such as 3");
        long most = Topology.OPEN_FILES / 2;
        check(tuning.workerConnections() >= 256 && tuning.workerConnections() <= most, "<balancer><workerConnections>",
                tuning.workerConnections(), "must be between 256 and " + most + " (half the balancer's " + Topology.OPEN_FILES
                        + " open files, since a proxied request holds two)", "use a number such as 4096");
        check(tuning.keepalive() >= 1 && tuning.keepalive() <= tuning.workerConnections() / 2, "<balancer><keepalive>", tuning.keepalive(),
                "idle upstream connections per worker must be between 1 and half of <balancer><workerConnections>",
                "use a number such as 64");
    }

    private void checkHealthCheck(HealthCheck health, Limits limits) {
        checkDuration("<balancer><healthCheck><interval>", health.interval());
        checkDuration("<balancer><healthCheck><timeout>", health.timeout());
        check(health.failures() >= 1 && health.failures() <= 20, "<balancer><healthCheck><failures>", health.failures(),
                "failed probes in a row before a replica leaves the rotation must be between 1 and 20", "use a number such as 2");
        check(!health.enabled() || !pidsInRange(limits) || limits.pids() >= HEALTH_CHECK_PIDS, "<balancer><pids>", limits.pids(),
                "the health check probes up to 16 replicas at once, each probe two processes, beside nginx's workers",
                "raise <balancer><pids> to at least " + HEALTH_CHECK_PIDS + ", or turn <balancer><healthCheck><enabled> off");
    }

    /** Beyond this range the limit itself is reported; nothing is measured against it. */
    private static boolean pidsInRange(Limits limits) {
        return limits.pids() >= 16 && limits.pids() <= 100_000;
    }

    private void checkDuration(String path, String value) {
        check(Durations.parse(value).isPresent(), path, value, "not a duration nginx understands",
                "write a whole number with ms, s or m, such as 500ms, 3s or 1m");
    }

    private void checkAccessLog(String xmlPath, String property, String accessLog) {
        check(AccessLog.parse(accessLog).isPresent(), xmlPath, accessLog, "unknown access log setting",
                "use one of: " + AccessLog.allIds() + " (or " + property + "=off)");
    }

    private void checkBalancer(BalancerSpec balancer) {
        checkImage("<balancer><baseImage>", balancer.baseImage());
        checkImage("<balancer><image>", balancer.image());
        check(balancer.port() >= 0 && balancer.port() <= 65535, "<balancer><port>", balancer.port(),
                "a TCP port is between 1 and 65535 (0 picks a free one at start)", "set <balancer><port> (or -Ddlb.balancer.port) to 0 or a free port");
        check(Strategy.parse(balancer.strategy()).isPresent(), "<balancer><strategy>", balancer.strategy(),
                "unknown balancing strategy", "use one of: " + Strategy.allIds());
        checkLimits("<balancer>", balancer.limits());
        checkTuning(balancer.tuning());
        checkAccessLog("<balancer><accessLog>", "-Ddlb.balancer.accessLog", balancer.tuning().accessLog());
        checkHealthCheck(balancer.healthCheck(), balancer.limits());
        checkPublication(balancer);
    }

    /** An engine on this machine publishes on this machine's addresses; one elsewhere, on its own, which it checks itself. */
    private void checkPublication(BalancerSpec balancer) {
        if (balancer.reach().engineLocal()) {
            check(isLocalAddress(balancer.bindAddress()), "<balancer><bindAddress>", balancer.bindAddress(),
                    "the balancer can only be published on an IP address of this machine",
                    "use 127.0.0.1 (the default), 0.0.0.0, or an address of one of this host's interfaces");
        } else {
            check(balancer.bindAddress() != null && IP_LITERAL.matcher(balancer.bindAddress()).matches(), "<balancer><bindAddress>",
                    balancer.bindAddress(), "the engine publishes the balancer on an IP address of its own machine (a name is not looked up)",
                    "use 0.0.0.0 (the default for an engine reached over TCP) or an address of the engine's machine");
        }
        String host = balancer.reach().host();
        check(host != null && (HOST_NAME.matcher(host).matches() || IP_LITERAL.matcher(host).matches()), "<balancer><host>", host,
                "not a host name or IP address that a URL can hold", "give the name or address the build reaches the engine's machine at, "
                        + "such as docker or 10.0.0.5, without a scheme or a port");
    }

    private void checkSwarm(SwarmSpec swarm) {
        swarm.placement().forEach(c -> checkConstraint("<swarm><placement><constraint>", c));
        swarm.balancerPlacement().forEach(c -> checkConstraint("<swarm><balancerPlacement><constraint>", c));
        check(swarm.updateParallelism() >= 1 && swarm.updateParallelism() <= MAX_REPLICAS, "<swarm><updateParallelism>",
                swarm.updateParallelism(), "web tasks replaced at once must be between 1 and " + MAX_REPLICAS,
                "use 1 (the default) to replace one task at a time");
        checkDuration("<swarm><updateDelay>", swarm.updateDelay());
        check(SwarmSpec.START_FIRST.equals(swarm.updateOrder()) || SwarmSpec.STOP_FIRST.equals(swarm.updateOrder()),
                "<swarm><updateOrder>", swarm.updateOrder(), "not an update order Swarm knows",
                "use start-first (the default: no fewer tasks during an update) or stop-first");
        check(swarm.volumeDriver() != null && VOLUME_DRIVER.matcher(swarm.volumeDriver()).matches(), "<swarm><volumeDriver>",
                swarm.volumeDriver(), "not a volume driver name", "use local (the default: one volume per node) or a plugin's name such as vieux/sshfs");
    }

    private void checkConstraint(String path, String constraint) {
        check(constraint != null && CONSTRAINT.matcher(constraint).matches(), path, constraint,
                "not a placement constraint Swarm accepts", "write ATTRIBUTE==VALUE or ATTRIBUTE!=VALUE with node.id, node.hostname, "
                        + "node.role, node.platform.os, node.platform.arch, node.labels.NAME or engine.labels.NAME, such as node.role==worker");
    }

    private void checkConfd(ConfdSpec confd) {
        if (confd.binary().isPresent()) {
            Path binary = confd.binary().get();
            check(Files.isRegularFile(binary), "<confd><binary>", binary, "no such file",
                    "point <confd><binary> (or -Ddlb.confd.binary) at a confd executable, or remove it to have confd built for the engine");
            return;
        }
        check(confd.version() != null && CONFD_VERSION.matcher(confd.version()).matches(), "<confd><version>", confd.version(),
                "not a version of confd's Go module", "use a version of github.com/abtreece/confd such as 0.30.0 (the default)");
        checkImage("<confd><builderImage>", confd.builderImage());
    }

    private void checkImage(String path, String image) {
        check(image != null && IMAGE_REF.matcher(image).matches(), path, image, "not a valid Docker image reference",
                "use lowercase name[:tag], such as httpd:2.4.62");
    }

    private void checkDirectory(String path, Optional<Path> dir, String what) {
        dir.ifPresent(d -> check(Files.isDirectory(d), path, d, "no such directory (" + what + ")",
                "create it or correct the path; leave the parameter out to use the defaults"));
    }

    private void checkEnvironment(String path, Map<String, String> env) {
        env.forEach((name, value) -> {
            check(ENV_NAME.matcher(name).matches(), path + "<" + name + ">", value,
                    "'" + name + "' is not a valid environment variable name", "use letters, digits and '_', not starting with a digit");
            check(!name.toUpperCase(java.util.Locale.ROOT).startsWith("DLB_"), path + "<" + name + ">", value,
                    "names starting with DLB_ are reserved for the plugin", "rename the variable");
            check(value == null || value.chars().noneMatch(c -> FORBIDDEN_IN_VALUES.indexOf(c) >= 0), path + "<" + name + ">",
                    value == null ? "" : value.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0"),
                    "values may not contain line breaks, NUL, double quotes or braces: rendered into httpd or nginx "
                            + "configuration they would end a directive or a quoted string",
                    "remove those characters; pass structured data as several variables");
        });
    }

    private static boolean isLocalAddress(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) {
            return false; // a literal only: never trigger a DNS lookup during validation
        }
        try {
            InetAddress inet = InetAddress.getByName(address);
            return inet.isAnyLocalAddress() || inet.isLoopbackAddress() || NetworkInterface.getByInetAddress(inet) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    private void check(boolean ok, String xmlPath, Object value, String reason, String fix) {
        if (!ok) {
            problems.add(new Problem(xmlPath, String.valueOf(value), reason, fix));
        }
    }
}
