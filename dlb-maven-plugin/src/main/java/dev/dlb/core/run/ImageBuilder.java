package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.ImageInfo;
import dev.dlb.core.render.ContextDigest;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an image from a rendered context, or skips the build entirely when an image with that tag
 * was built from the same context bytes and the same base image.
 */
public final class ImageBuilder {

    public static final String CONTEXT_LABEL = "dev.dlb.context-sha256";

    private final ContainerEngine engine;
    private final boolean offline;
    private final Consumer<String> log;

    public ImageBuilder(ContainerEngine engine, boolean offline, Consumer<String> log) {
        this.engine = engine;
        this.offline = offline;
        this.log = log;
    }

    /** @return whether it built, or found the existing image up to date */
    public Outcome build(Path context, ImageRequest request) throws EngineException, StackException {
        ImageInfo base = baseImage(request);
        String digest = ContextDigest.of(context, base.id());
        boolean upToDate = engine.inspectImage(request.tag())
                .map(i -> digest.equals(i.labels().get(CONTEXT_LABEL))).orElse(false);
        if (upToDate) {
            log.accept("Image " + request.tag() + " is up to date (context " + digest.substring(0, 12) + "); build skipped");
            return new Outcome(request.tag(), false);
        }
        log.accept("Building " + request.tag() + " from " + context + " on " + request.baseImage());
        String id = engine.buildImage(context, request.tag(),
                Map.of(CONTEXT_LABEL, digest, Labels.PROJECT, request.projectId()), line -> log.accept("  " + line));
        log.accept("Built " + request.tag() + " (" + id + ")");
        return new Outcome(request.tag(), true);
    }

    private ImageInfo baseImage(ImageRequest request) throws EngineException, StackException {
        var found = engine.inspectImage(request.baseImage());
        if (found.isPresent()) {
            return found.get();
        }
        String fix = ". Fix: set " + request.baseImageXmlPath() + " to an image present in the engine (on machines without a "
                + "registry, scripts/env/base-images.sh builds stand-ins), or load it with docker load";
        if (offline) {
            throw new StackException("Base image " + request.baseImage() + " (" + request.baseImageXmlPath()
                    + ") is not in the engine and Maven is offline, so it cannot be pulled" + fix);
        }
        log.accept("Pulling " + request.baseImage());
        try {
            engine.pullImage(request.baseImage(), line -> log.accept("  " + line));
        } catch (EngineException e) {
            throw new StackException("Base image " + request.baseImage() + " (" + request.baseImageXmlPath()
                    + ") is not in the engine and cannot be pulled: " + e.getMessage() + fix, e);
        }
        return engine.inspectImage(request.baseImage()).orElseThrow(() -> new StackException(
                "Base image " + request.baseImage() + " is still missing after a pull" + fix));
    }

    public record Outcome(String tag, boolean built) {
    }

    /** One image to build: its tag, the base its Dockerfile starts FROM, and the POM path that names that base. */
    public record ImageRequest(String tag, String baseImage, String baseImageXmlPath, String projectId) {
    }
}
