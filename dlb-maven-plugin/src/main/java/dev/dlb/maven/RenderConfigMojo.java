package dev.dlb.maven;

import dev.dlb.core.tool.ToolException;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes everything that would be built and run to target/dlb, without Docker: both images' build
 * contexts and a docker-compose.yml of the same stack. Unchanged output stays byte-identical.
 */
@Mojo(name = "render-config", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class RenderConfigMojo extends AbstractDlbMojo {

    @Override
    void run() throws IOException, ToolException {
        render(stackSpec());
    }
}
