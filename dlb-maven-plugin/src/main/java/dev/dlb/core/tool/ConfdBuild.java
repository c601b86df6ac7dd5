package dev.dlb.core.tool;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ToolPlan;
import dev.dlb.core.spec.ConfdSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Builds confd from its Go module, at the pinned version and for the engine's architecture, in a throwaway
 * container from the builder image, and copies the binary out. go checks every module it downloads against
 * the Go checksum database; the environment makes sure that nothing in the image turns that off. The
 * container is labelled {@value #LABEL} and removed whatever happened; the build is bounded like an image build.
 */
final class ConfdBuild {

    static final String LABEL = "dev.dlb.confd-build";
    static final String OUTPUT = "/tmp/dlb-confd/confd";
    private static final int TAIL_LINES = 15;

    private final ContainerEngine engine;
    private final Consumer<String> log;

    ConfdBuild(ContainerEngine engine, Consumer<String> log) {
        this.engine = engine;
        this.log = log;
    }

    void run(ConfdSpec spec, String arch, Path target) throws ToolException {
        String what = "confd " + spec.version() + " for linux/" + arch;
        requireBuilder(spec.builderImage());
        log.accept("Building " + what + " from its Go module, verified against the Go checksum database, in a container from "
                + spec.builderImage());
        ToolPlan plan = plan(spec, arch);
        try {
            String id = engine.createToolContainer(plan);
            try {
                build(id, what, spec.builderImage());
                engine.copyFile(id, OUTPUT, target);
            } finally {
                remove(new Resource(Resource.Kind.CONTAINER, id, plan.name(), plan.labels()));
            }
        } catch (EngineException e) {
            throw new ToolException("Building " + what + " in a container from " + spec.builderImage() + " failed: " + e.getMessage(), e);
        }
    }

    /** The environment forces module verification on: GOSUMDB set, nothing exempted, no GOFLAGS of the image's. */
    static ToolPlan plan(ConfdSpec spec, String arch) {
        Map<String, String> environment = Map.ofEntries(
                Map.entry("DLB_CONFD_VERSION", spec.version()),
                Map.entry("CGO_ENABLED", "0"), Map.entry("GOOS", "linux"), Map.entry("GOARCH", arch),
                Map.entry("GOFLAGS", "-mod=mod -buildvcs=false"), Map.entry("GOSUMDB", "sum.golang.org"),
                Map.entry("GONOSUMDB", ""), Map.entry("GOPRIVATE", ""), Map.entry("GONOPROXY", ""), Map.entry("GOINSECURE", ""),
                // a newer confd whose go.mod asks for a newer Go gets that toolchain from the module proxy, verified the same way
                Map.entry("GOTOOLCHAIN", "auto"));
        return new ToolPlan("dlb-confd-build-" + UUID.randomUUID().toString().substring(0, 8), spec.builderImage(),
                List.of("sh", "-c", script()), environment, Map.of(LABEL, spec.version() + "-linux-" + arch));
    }

    private void build(String id, String what, String image) throws EngineException, ToolException {
        engine.startContainer(id);
        Deque<String> tail = new ArrayDeque<>();
        long exit = engine.awaitExit(id, line -> {
            log.accept("  " + line);
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        });
        if (exit != 0) {
            throw new ToolException("Building " + what + " in a container from " + image + " failed (exit code " + exit + "); its last lines:\n  "
                    + String.join("\n  ", tail) + "\nFix: containers on the engine must reach the Go module proxy (GOPROXY) and "
                    + "sum.golang.org and trust their certificates; or set <confd><builderImage> to a Go image that can, or "
                    + "<confd><binary> to a confd executable");
        }
    }

    private void requireBuilder(String image) throws ToolException {
        try {
            if (engine.inspectImage(image).isPresent()) {
                return;
            }
            log.accept("Pulling " + image);
            engine.pullImage(image, line -> log.accept("  " + line));
        } catch (EngineException e) {
            throw new ToolException("The confd builder image " + image + " (<confd><builderImage>) is not in the engine and cannot be "
                    + "pulled: " + e.getMessage() + ". Fix: set <confd><builderImage> (or -Ddlb.confd.builderImage) to a Go image the "
                    + "engine has (on machines without a registry, scripts/env/golang-image.sh builds a stand-in), or set "
                    + "<confd><binary> to a confd executable", e);
        }
    }

    /** A container left behind is labelled; failing the build for it would hide why the build failed, if it did. */
    private void remove(Resource container) {
        try {
            engine.remove(container);
        } catch (EngineException e) {
            log.accept("Could not remove the confd build " + container + ": " + e.getMessage() + ". Remove it with: docker rm -f "
                    + container.name() + " (every one left: docker ps -aq --filter label=" + LABEL + ")");
        }
    }

    private static String script() {
        try (InputStream in = ConfdBuild.class.getResourceAsStream("confd-build.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the plugin's confd-build.sh cannot be read", e);
        }
    }
}
