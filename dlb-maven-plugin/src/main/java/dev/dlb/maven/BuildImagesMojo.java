package dev.dlb.maven;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.render.StackRenderer;
import dev.dlb.core.run.ImageBuilder;
import dev.dlb.core.run.ImageBuilder.ImageRequest;
import dev.dlb.core.run.RunFiles;
import dev.dlb.core.run.StackException;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.tool.ToolException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the web and balancer images from the rendered contexts, skipping a build entirely when an
 * image of that tag was built from identical context bytes on the same base image.
 */
@Mojo(name = "build-images", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildImagesMojo extends AbstractDlbMojo {

    @Override
    void run() throws IOException, ToolException, EngineException, StackException, InterruptedException {
        StackSpec spec = stackSpec();
        render(spec);
        try (ContainerEngine engine = engine(engineSettings())) {
            build(spec, engine);
        }
    }

    /** Both images, each unless up to date; shared with deploy, which pushes what it built. */
    void build(StackSpec spec, ContainerEngine engine) throws IOException, EngineException, StackException {
        engine.ping();
        ImageBuilder builder = new ImageBuilder(engine, session.isOffline(), getLog()::info);
        Map<String, ImageBuilder.Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put(StackRenderer.WEB, builder.build(spec.outputDirectory().resolve(StackRenderer.WEB),
                new ImageRequest(spec.web().image(), spec.web().baseImage(), "<web><baseImage>", spec.projectId())));
        outcomes.put(StackRenderer.BALANCER, builder.build(spec.outputDirectory().resolve(StackRenderer.BALANCER),
                new ImageRequest(spec.balancer().image(), spec.balancer().baseImage(), "<balancer><baseImage>", spec.projectId())));
        new RunFiles(spec.outputDirectory()).writeImages(outcomes);
    }
}
