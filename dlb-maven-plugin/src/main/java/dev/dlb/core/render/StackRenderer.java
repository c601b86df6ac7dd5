package dev.dlb.core.render;

import dev.dlb.core.spec.StackSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns a spec into the files of both build contexts, the compose file and the stack file. Pure: same spec and
 * inputs, same files in the same order.
 */
public final class StackRenderer {

    public static final String WEB = "web";
    public static final String BALANCER = "balancer";
    public static final String COMPOSE_FILE = "docker-compose.yml";
    public static final String STACK_FILE = "docker-stack.yml";

    private static final String[] WEB_CONFD = {
        "conf.d/dlb-httpd.toml", "templates/dlb-httpd.conf.tmpl",
        "conf.d/dlb-index.toml", "templates/dlb-index.html.tmpl",
        "conf.d/dlb-health.toml", "templates/dlb-health.tmpl",
    };
    private static final String[] BALANCER_CONFD = {
        "conf.d/nginx.toml", "templates/nginx.conf.tmpl", "conf.d/dlb-back.toml", "templates/dlb-back.conf.tmpl",
    };

    public List<RenderedFile> render(StackSpec spec, Path confdBinary) {
        return render(spec, Optional.of(confdBinary));
    }

    /** @param confdBinary empty leaves the binary out of both contexts (render-config with no engine to build it for) */
    public List<RenderedFile> render(StackSpec spec, Optional<Path> confdBinary) {
        List<RenderedFile> files = new ArrayList<>();
        files.addAll(webContext(spec, confdBinary));
        files.addAll(balancerContext(spec, confdBinary));
        files.add(RenderedFile.text(COMPOSE_FILE, new ComposeFile().render(spec), false));
        files.add(RenderedFile.text(STACK_FILE, new StackFile().render(spec), false));
        return files;
    }

    private List<RenderedFile> webContext(StackSpec spec, Optional<Path> confdBinary) {
        List<RenderedFile> files = commonContext(WEB, spec.web().baseImage(), confdBinary);
        TreeMap<String, RenderedFile> confd = new TreeMap<>();
        for (String name : WEB_CONFD) {
            confd.put(name, resource(WEB + "/confd-etc/" + name, false));
        }
        // the user's resources win over the defaults of the same name
        spec.web().confdDirectory().ifPresent(dir -> tree(dir).forEach(rel ->
                confd.put(rel, RenderedFile.copy(WEB + "/confd-etc/" + rel, dir.resolve(rel), false))));
        files.addAll(confd.values());
        List<String> content = spec.web().contentDirectory().map(StackRenderer::tree).orElse(List.of());
        content.forEach(rel -> files.add(RenderedFile.copy(WEB + "/content/" + rel, spec.web().contentDirectory().get().resolve(rel), false)));
        if (content.isEmpty()) {
            files.add(RenderedFile.text(WEB + "/content/.dlb-keep", "", false)); // COPY content/ needs the directory
        }
        return files;
    }

    private List<RenderedFile> balancerContext(StackSpec spec, Optional<Path> confdBinary) {
        List<RenderedFile> files = commonContext(BALANCER, spec.balancer().baseImage(), confdBinary);
        files.add(resource(BALANCER + "/dlb-watch.sh", true));
        for (String name : BALANCER_CONFD) {
            files.add(resource(BALANCER + "/confd-etc/" + name, false));
        }
        return files;
    }

    private List<RenderedFile> commonContext(String role, String baseImage, Optional<Path> confdBinary) {
        String dockerfile = ClasspathText.read(role + "/Dockerfile").replace("@BASE_IMAGE@", baseImage);
        List<RenderedFile> files = new ArrayList<>();
        files.add(RenderedFile.text(role + "/Dockerfile", dockerfile, false));
        confdBinary.ifPresent(binary -> files.add(RenderedFile.copy(role + "/confd", binary, true)));
        files.add(RenderedFile.text(role + "/dlb-confd.sh", ClasspathText.read("common/dlb-confd.sh"), true));
        files.add(RenderedFile.text(role + "/dlb-healthcheck.sh", ClasspathText.read("common/dlb-healthcheck.sh"), true));
        files.add(RenderedFile.text(role + "/dlb-http.sh", ClasspathText.read("common/dlb-http.sh"), false)); // sourced
        files.add(resource(role + "/dlb-entrypoint.sh", true));
        return files;
    }

    private static RenderedFile resource(String path, boolean executable) {
        return RenderedFile.text(path, ClasspathText.read(path), executable);
    }

    /** Relative paths of every regular file under {@code dir}, '/'-separated and sorted. */
    static List<String> tree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }
}
