package dev.dlb.maven;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.testing.MojoRule;
import org.apache.maven.project.MavenProject;
import org.apache.maven.repository.RepositorySystem;
import org.junit.rules.TemporaryFolder;

/**
 * A copy of one test project from {@code src/test/resources/unit/<name>} in a temporary folder, read
 * by Maven's own ProjectBuilder, and the plugin's Mojos configured from it as Maven would: the POM's
 * {@code <configuration>}, the Mojo descriptor's defaults and the session's user properties
 * (the {@code -D} values of a command line).
 */
final class HarnessProject {

    private final MojoRule rule;
    private final MavenProject project;
    private final Path localRepository;
    private final Properties userProperties = new Properties();

    private HarnessProject(MojoRule rule, MavenProject project, Path localRepository) {
        this.rule = rule;
        this.project = project;
        this.localRepository = localRepository;
    }

    static HarnessProject copyOf(String name, MojoRule rule, TemporaryFolder tmp) throws Exception {
        Path basedir = tmp.newFolder(name).toPath();
        copyTree(source(name), basedir);
        return new HarnessProject(rule, rule.readMavenProject(basedir.toFile()), tmp.newFolder("local-repo").toPath());
    }

    /** As {@code -Dname=value} on the command line. */
    HarnessProject commandLine(String name, String value) {
        userProperties.setProperty(name, value);
        return this;
    }

    Path basedir() {
        return project.getBasedir().toPath();
    }

    /** {@code target/dlb} of the copied project: the default output directory. */
    Path outputDirectory() {
        return basedir().resolve("target").resolve("dlb");
    }

    @SuppressWarnings("unchecked")
    <T extends Mojo> T mojo(String goal) throws Exception {
        MavenSession session = rule.newMavenSession(project);
        session.getRequest().setUserProperties(userProperties);
        session.getRequest().setLocalRepository(rule.lookup(RepositorySystem.class).createLocalRepository(localRepository.toFile()));
        return (T) rule.lookupConfiguredMojo(session, rule.newMojoExecution(goal));
    }

    /** Every regular file under {@code dir}, relative and '/'-separated, sorted; empty when {@code dir} does not exist. */
    static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    private static Path source(String name) throws URISyntaxException {
        return Path.of(HarnessProject.class.getResource("/unit/" + name + "/pom.xml").toURI()).getParent();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
