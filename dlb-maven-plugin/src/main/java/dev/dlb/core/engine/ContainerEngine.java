package dev.dlb.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one seam between the stack's life and a container engine. Every method that creates something
 * labels it, so that {@link #list(Map)} finds it again from any later process.
 */
public interface ContainerEngine extends AutoCloseable {

    /**
     * Calls an engine serves at once (DockerJavaEngine's connections); a caller that fans calls out bounds its threads by
     * it. 32: a stack of up to 31 replicas is started and removed all at once, as the engine floor's docker runs are.
     */
    int PARALLEL_CALLS = 32;

    /** Fails fast, naming where it looked for the engine, when no engine answers. */
    void ping() throws EngineException;

    /** The CPU architecture of the engine's machine, as the engine names it: amd64, arm64, x86_64, aarch64, ... */
    String architecture() throws EngineException;

    Optional<ImageInfo> inspectImage(String reference) throws EngineException;

    /** Pulls an image from its registry, streaming progress. */
    void pullImage(String reference, Consumer<String> output) throws EngineException;

    /** Builds {@code contextDir/Dockerfile}, streaming the build's output line by line; returns the image id. */
    String buildImage(Path contextDir, String tag, Map<String, String> labels, Consumer<String> output) throws EngineException;

    /** @param internal an internal network has no route beyond its own containers */
    String createNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException;

    /** Which of these container, network or volume names exist already, whoever made them. */
    List<String> namesInUse(List<String> names) throws EngineException;

    String createVolume(String name, Map<String, String> labels) throws EngineException;

    /** Creates a container; a volume it mounts that does not exist is created then, with the mount's labels. */
    String createContainer(ContainerPlan plan) throws EngineException;

    /** Creates, without starting it, a container that runs one command to its end. */
    String createToolContainer(ToolPlan plan) throws EngineException;

    void startContainer(String id) throws EngineException;

    /** Follows a started container's output, line by line, until it exits; returns its exit code. */
    long awaitExit(String id, Consumer<String> output) throws EngineException;

    /** Copies one regular file out of a container, running or exited, to {@code target} (replaced if it exists). */
    void copyFile(String id, String path, Path target) throws EngineException;

    ContainerState inspectContainer(String id) throws EngineException;

    /**
     * Asks a container to end now (SIGTERM: httpd and nginx stop at once, without their graceful wait) and waits up to
     * {@code timeout} for it to end. One already ended or gone is not an error, and neither is one still running after
     * the timeout: removing it kills it.
     */
    void stopContainer(String id, Duration timeout) throws EngineException;

    /** The last {@code lines} lines of the container's stdout and stderr. */
    String logs(String id, int lines) throws EngineException;

    /** Containers (running or not), networks and volumes carrying every one of these labels. */
    List<Resource> list(Map<String, String> labels) throws EngineException;

    /**
     * Removes a resource; one already gone is not an error.
     *
     * @throws ResourceInUseException for a volume that a container, running or not, still mounts; it is left as it was
     */
    void remove(Resource resource) throws EngineException;

    /** Gives an image another name ({@code registry/repository:tag}), as docker tag does. */
    void tagImage(String image, String reference) throws EngineException;

    /** Pushes an image to the registry its reference names, streaming progress; credentials if it asks for them. */
    void pushImage(String reference, Optional<RegistryAuth> auth, Consumer<String> output) throws EngineException;

    /** An overlay network of the swarm that standalone containers may join too; labelled as given. */
    String createOverlayNetwork(String name, Map<String, String> labels, boolean internal) throws EngineException;

    /** Creates a Swarm service; the nodes pull its image with these credentials. Returns its id. */
    String createService(ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException;

    /** Updates the service to the plan, as its policy says (rolling); fails if it changed since {@code version}. */
    void updateService(String id, long version, ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException;

    Optional<ServiceState> inspectService(String nameOrId) throws EngineException;

    /** The tasks of one service, running or ended, with their node and slot. */
    List<TaskState> listTasks(String serviceId) throws EngineException;

    /**
     * The swarm's nodes.
     *
     * @throws EngineException naming the fix when this engine is no swarm manager
     */
    List<SwarmNode> nodes() throws EngineException;

    /** Swarm services, configs and secrets carrying every one of these labels; {@link #remove} removes each. */
    List<Resource> listSwarm(Map<String, String> labels) throws EngineException;

    @Override
    void close();
}
