package dev.dlb.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Maven build of a small project ({@code src/test/resources/engines-project}: three replicas, one failsafe IT
 * through {@code dlb.balancer.url}) with the plugin this module has just packaged, run as a user runs it. The
 * child's own local repository (target/engines-repo) holds the plugin and its parent POM; everything else it reads
 * from this build's local repository, as a read-only tail.
 */
final class ChildMaven {

    private static final Path TEMPLATE = Path.of("src", "test", "resources", "engines-project");
    private static final Path REPOSITORY = Path.of("target", "engines-repo").toAbsolutePath();

    private ChildMaven() {
    }

    /** A fresh copy of the project under target/system/NAME, whose artifactId is NAME (so its project id is dev.dlb.system:NAME). */
    static Path project(String name) throws IOException {
        Path dir = Path.of("target", "system", name).toAbsolutePath();
        deleteTree(dir);
        try (Stream<Path> files = Files.walk(TEMPLATE)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Path target = dir.resolve(TEMPLATE.relativize(source).toString());
                Files.createDirectories(target.getParent());
                Files.writeString(target, Files.readString(source).replace("@artifactId@", name).replace("@project.version@", version()));
            }
        }
        return dir;
    }

    /**
     * Starts {@code mvn -B ARGS} in the project with exactly the docker variables given (none of this JVM's).
     * Maven's own -D properties {@code dlb.confd.binary} and the stand-in images come from this build.
     */
    static ChildJvm start(String name, Path project, Map<String, String> dockerEnvironment, List<String> args) throws IOException {
        installPlugin();
        List<String> command = new ArrayList<>(List.of(Path.of(property("maven.home"), "bin", "mvn").toString(), "-B", "-Dstyle.color=never",
                "-Dmaven.repo.local=" + REPOSITORY, "-Dmaven.repo.local.tail=" + property("dlb.localRepository"),
                "-Dmaven.repo.local.tail.ignoreAvailability=true", "-Ddlb.confd.binary=" + RealStack.confdBinary()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(k -> k.startsWith("DOCKER_") || k.equals("MAVEN_OPTS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(dockerEnvironment);
        return new ChildJvm(name, builder.start());
    }

    /**
     * The plugin's one jar and its POMs (its own names no dependencies: they are in the jar), laid out as {@code mvn install}
     * would; files without tracking count as installed locally.
     */
    private static void installPlugin() throws IOException {
        String version = version();
        copy(Path.of("..", "pom.xml"), "dlb-parent", version, "dlb-parent-" + version + ".pom");
        copy(Path.of(property("dlb.plugin.pom")), "dlb-maven-plugin", version, "dlb-maven-plugin-" + version + ".pom");
        copy(Path.of(property("dlb.plugin.jar")), "dlb-maven-plugin", version, "dlb-maven-plugin-" + version + ".jar");
    }

    private static void copy(Path source, String artifactId, String version, String file) throws IOException {
        Path target = REPOSITORY.resolve(Path.of("dev", "dlb", artifactId, version, file));
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String version() {
        return property("dlb.plugin.version");
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the system tests through failsafe (mvn verify)");
        }
        return value;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
