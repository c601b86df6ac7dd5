package dev.dlb.maven;

import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.tool.ToolException;
import java.io.IOException;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes everything that would be built and run to target/dlb: both images' build contexts and a
 * docker-compose.yml of the same stack. Unchanged output stays byte-identical. Needs no engine: without one
 * to build confd for (and no configured binary), it writes everything but the confd binary and says so.
 */
@Mojo(name = "render-config", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class RenderConfigMojo extends AbstractDlbMojo {

    /** Only when no confd binary is cached, to build one. */
    @Override
    boolean reachesEngine() {
        return false;
    }

    @Override
    void run() throws IOException, ToolException {
        StackSpec spec = stackSpec();
        try {
            render(spec);
        } catch (ToolException e) {
            if (!e.engineMissing()) {
                throw e;
            }
            getLog().warn("dlb: the build contexts have no confd binary and the templates were not checked with confd: "
                    + e.getMessage() + ". build-images puts confd in once an engine answers");
            render(spec, Optional.empty());
        }
    }
}
