package dev.dlb.core.tool;

import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real confd once on this host over a copy of a replica's confd resources, each rendering
 * into a scratch directory instead of its destination, so that a template error is reported with
 * confd's own message before any image is built or container started. Skipped where the binary cannot
 * run: a host that is not Linux, or one of another architecture than the binary's (built for a remote engine).
 */
public final class ConfdCheck {

    /** For the --help probe and for the check each; confd renders a handful of small templates in well under a second. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ConfdCheck() {
    }

    /** Whether this confd runs on this host: an executable Linux binary of the host's architecture. */
    public static boolean canRunHere(Path confd) {
        Optional<String> host = Architectures.host();
        return Files.isExecutable(confd) && host.isPresent() && host.equals(Architectures.ofElf(confd));
    }

    /**
     * @param confdEtc a directory with conf.d/ and templates/, as copied into the image at /etc/confd
     * @param environment what the replica's environment would hold
     */
    public static void check(Path confd, Path confdEtc, Map<String, String> environment) throws IOException {
        check(confd, confdEtc, environment, TIMEOUT);
    }

    static void check(Path confd, Path confdEtc, Map<String, String> environment, Duration timeout) throws IOException {
        Path scratch = Files.createTempDirectory("dlb-confd-check");
        try {
            Path etc = copyWithScratchDestinations(confdEtc, scratch);
            List<String> command = new ArrayList<>(List.of(confd.toString()));
            command.addAll(flags(confd, etc, scratch, timeout));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Finished run = run(builder, scratch.resolve("check.out"), timeout, "checking the templates");
            if (run.exitCode() != 0) {
                // confd names the scratch copy it read; point at the files as built instead, which outlive this check
                String output = run.output().replace(etc.toString(), confdEtc.toString());
                throw new InvalidSpecException(List.of(new Problem("<web><confdDirectory>", firstTemplate(output),
                        "confd cannot render it: " + confdMessage(output),
                        "correct the template at the line confd names; the files as built are in target/dlb/web/confd-etc")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while confd checked the templates", e);
        } finally {
            deleteTree(scratch);
        }
    }

    private static List<String> flags(Path confd, Path etc, Path scratch, Duration timeout) throws IOException, InterruptedException {
        String help = run(new ProcessBuilder(confd.toString(), "--help"), scratch.resolve("help.out"), timeout, "printing its --help").output();
        if (help.contains("-onetime")) {
            return List.of("-onetime", "-backend", "env", "-sync-only", "-log-level", "error", "-confdir", etc.toString());
        }
        return List.of("env", "--onetime", "--sync-only", "--log-level", "error", "--confdir", etc.toString());
    }

    private record Finished(int exitCode, String output) {
    }

    /**
     * Runs confd with its output in a file, not a pipe: a pipe must be read while confd runs, and reading it to
     * the end waits for as long as confd runs, so the timeout would never fire. On timeout confd and what it
     * started are killed.
     */
    private static Finished run(ProcessBuilder builder, Path output, Duration timeout, String what) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IOException("confd (" + builder.command().get(0) + ") did not finish " + what + " within " + timeout.toSeconds()
                    + " s and was ended. Fix: check that this confd runs on this machine (try it with --help), or set <confd><binary> "
                    + "to one that does");
        }
        return new Finished(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** Copies templates as they are and resources with dest moved into the scratch directory and no commands. */
    private static Path copyWithScratchDestinations(Path confdEtc, Path scratch) throws IOException {
        Path etc = scratch.resolve("etc");
        Path out = Files.createDirectories(scratch.resolve("out"));
        Files.createDirectories(etc.resolve("conf.d"));
        Files.createDirectories(etc.resolve("templates"));
        try (Stream<Path> templates = Files.list(confdEtc.resolve("templates"))) {
            for (Path t : templates.toList()) {
                Files.copy(t, etc.resolve("templates").resolve(t.getFileName()));
            }
        }
        try (Stream<Path> tomls = Files.list(confdEtc.resolve("conf.d"))) {
            for (Path toml : tomls.filter(p -> p.toString().endsWith(".toml")).sorted().toList()) {
                String text = Files.readString(toml)
                        .replaceAll("(?m)^\\s*(check_cmd|reload_cmd)\\s*=.*$", "")
                        .replaceAll("(?m)^(\\s*dest\\s*=\\s*)[\"'][^\"']*[\"']",
                                "$1\"" + out.resolve(toml.getFileName().toString() + ".out") + "\"");
                Files.writeString(etc.resolve("conf.d").resolve(toml.getFileName()), text);
            }
        }
        return etc;
    }

    private static String firstTemplate(String output) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("template: ([^:\\s]+)").matcher(output);
        return m.find() ? "templates/" + m.group(1) : "templates";
    }

    private static String confdMessage(String output) {
        return output.lines().filter(l -> l.contains("ERROR") || l.contains("FATAL")).findFirst()
                .map(l -> l.replaceFirst("^.*?(ERROR|FATAL) ", "")).orElse(output.strip());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
