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
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IMAGE_REF = Pattern.compile(
            "[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    /** Only what InetAddress parses without a name lookup: a dotted quad, or hex digits, ':' and '.' with a ':' (IPv6). */
    private static final Pattern IP_LITERAL = Pattern.compile("(?:" + OCTET + "\\.){3}" + OCTET + "|(?=.*:)\\[?[0-9A-Fa-f:][0-9A-Fa-f:.]*]?");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final List<Problem> problems = new ArrayList<>();

    private SpecValidator() {
    }

    /** @throws InvalidSpecException listing every problem found */
    public static void requireValid(StackSpec stack, ConfdSpec confd) {
        SpecValidator v = new SpecValidator();
        v.checkWeb(stack.web());
        v.checkBalancer(stack.balancer());
        v.checkConfd(confd);
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

    private void checkBalancer(BalancerSpec balancer) {
        checkImage("<balancer><baseImage>", balancer.baseImage());
        checkImage("<balancer><image>", balancer.image());
        check(balancer.port() >= 0 && balancer.port() <= 65535, "<balancer><port>", balancer.port(),
                "a TCP port is between 1 and 65535 (0 picks a free one at start)", "set <balancer><port> (or -Ddlb.balancer.port) to 0 or a free port");
        check(Strategy.parse(balancer.strategy()).isPresent(), "<balancer><strategy>", balancer.strategy(),
                "unknown balancing strategy", "use one of: " + Strategy.allIds());
        check(isLocalAddress(balancer.bindAddress()), "<balancer><bindAddress>", balancer.bindAddress(),
                "the balancer can only be published on an IP address of this machine",
                "use 127.0.0.1 (the default), 0.0.0.0, or an address of one of this host's interfaces");
    }

    private void checkConfd(ConfdSpec confd) {
        if (confd.binary().isPresent()) {
            Path binary = confd.binary().get();
            check(Files.isRegularFile(binary), "<confd><binary>", binary, "no such file",
                    "point <confd><binary> (or -Ddlb.confd.binary) at a confd executable, or remove it to use the pinned release");
            return;
        }
        check(confd.version() != null && !confd.version().isBlank(), "<confd><version>", confd.version(),
                "a confd release version is needed when no <confd><binary> is given", "set <confd><version>, such as 0.30.0");
        check(confd.sha256() != null && SHA256.matcher(confd.sha256()).matches(), "<confd><sha256>", confd.sha256(),
                "the release's SHA-256 must be pinned (64 lowercase hex digits) so a download can be verified",
                "copy the checksum from a source you trust other than the download host, or set <confd><binary>");
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
            check(value == null || value.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0), path + "<" + name + ">",
                    value == null ? "" : value.replace("\n", "\\n").replace("\r", "\\r"),
                    "values may not contain line breaks or NUL: they would break the rendered configuration",
                    "put the value on one line");
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
