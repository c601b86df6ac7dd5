package dev.dlb.core.testing;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.ContainerState;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.ImageInfo;
import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ServicePlan;
import dev.dlb.core.engine.ServiceState;
import dev.dlb.core.engine.SwarmNode;
import dev.dlb.core.engine.TaskState;
import dev.dlb.core.engine.ToolPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Hands every call to another engine, usually the real one; a test overrides the call it wants to fail or
 * to interfere with. Closing it leaves the other engine open: that belongs to the test.
 */
public class ForwardingEngine implements ContainerEngine {

    protected final ContainerEngine real;

    public ForwardingEngine(ContainerEngine real) {
        this.real = real;
    }

    @Override
    public void ping() throws EngineException {
        real.ping();
    }

    @Override
    public String architecture() throws EngineException {
        return real.architecture();
    }

    @Override
    public Optional<ImageInfo> inspectImage(String reference) throws EngineException {
        return real.inspectImage(reference);
    }

    @Override
    public void pullImage(String reference, Consumer<String> output) throws EngineException {
        real.pullImage(reference, output);
    }

    @Override
    public String buildImage(Path contextDir, String tag, Map<String, String> labels, Consumer<String> output) throws EngineException {
        return real.buildImage(contextDir, tag, labels, output);
    }

    @Override
    public String createNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException {
        return real.createNetwork(name, labels, internal);
    }

    @Override
    public List<String> namesInUse(List<String> names) throws EngineException {
        return real.namesInUse(names);
    }

    @Override
    public String createVolume(String name, Map<String, String> labels) throws EngineException {
        return real.createVolume(name, labels);
    }

    @Override
    public String createContainer(ContainerPlan plan) throws EngineException {
        return real.createContainer(plan);
    }

    @Override
    public String createToolContainer(ToolPlan plan) throws EngineException {
        return real.createToolContainer(plan);
    }

    @Override
    public void startContainer(String id) throws EngineException {
        real.startContainer(id);
    }

    @Override
    public long awaitExit(String id, Consumer<String> output) throws EngineException {
        return real.awaitExit(id, output);
    }

    @Override
    public void copyFile(String id, String path, Path target) throws EngineException {
        real.copyFile(id, path, target);
    }

    @Override
    public ContainerState inspectContainer(String id) throws EngineException {
        return real.inspectContainer(id);
    }

    @Override
    public void stopContainer(String id, Duration timeout) throws EngineException {
        real.stopContainer(id, timeout);
    }

    @Override
    public String logs(String id, int lines) throws EngineException {
        return real.logs(id, lines);
    }

    @Override
    public List<Resource> list(Map<String, String> labels) throws EngineException {
        return real.list(labels);
    }

    @Override
    public void remove(Resource resource) throws EngineException {
        real.remove(resource);
    }

    @Override
    public void tagImage(String image, String reference) throws EngineException {
        real.tagImage(image, reference);
    }

    @Override
    public void pushImage(String reference, Optional<RegistryAuth> auth, Consumer<String> output) throws EngineException {
        real.pushImage(reference, auth, output);
    }

    @Override
    public String createOverlayNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException {
        return real.createOverlayNetwork(name, labels, internal);
    }

    @Override
    public String createService(ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        return real.createService(plan, auth);
    }

    @Override
    public void updateService(String id, long version, ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        real.updateService(id, version, plan, auth);
    }

    @Override
    public Optional<ServiceState> inspectService(String nameOrId) throws EngineException {
        return real.inspectService(nameOrId);
    }

    @Override
    public List<TaskState> listTasks(String serviceId) throws EngineException {
        return real.listTasks(serviceId);
    }

    @Override
    public List<SwarmNode> nodes() throws EngineException {
        return real.nodes();
    }

    @Override
    public List<Resource> listSwarm(Map<String, String> labels) throws EngineException {
        return real.listSwarm(labels);
    }

    @Override
    public void close() {
        // the engine it forwards to belongs to the test
    }
}
