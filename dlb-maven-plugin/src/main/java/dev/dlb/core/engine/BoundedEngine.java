package dev.dlb.core.engine;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Bounds every call of another engine in time, so that an engine that accepts connections and never
 * answers fails the goal instead of hanging it. The transport's own timeouts are not enough: docker-java
 * reads a unix socket through a channel that ignores them. Each call gets {@link EngineTimeouts#call()},
 * the ping {@link #PING}, builds and pulls are watched by {@link StreamWatch}. Once a call went
 * unanswered, every further call fails at once, naming it, until a ping is answered again: a cleanup
 * after that costs no full timeout per resource.
 */
public final class BoundedEngine implements ContainerEngine {

    static final Duration PING = Duration.ofSeconds(3);
    private static final Duration CLOSE = Duration.ofSeconds(5);

    @FunctionalInterface
    private interface Call<T> {
        T run() throws EngineException;
    }

    @FunctionalInterface
    private interface StreamCall<T> {
        T run(Consumer<String> output) throws EngineException;
    }

    private final ContainerEngine engine;
    private final String name;
    private final EngineTimeouts timeouts;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dlb-engine-call");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> containerNames = new ConcurrentHashMap<>();
    /** What went unanswered, while the engine is taken as not answering; null while it answers. */
    private volatile String unanswered;

    /** @param name the engine's address and where it came from, for messages ({@link EngineSettings#describe}) */
    public BoundedEngine(ContainerEngine engine, String name, EngineTimeouts timeouts) {
        this.engine = engine;
        this.name = name;
        this.timeouts = timeouts;
    }

    @Override
    public void ping() throws EngineException {
        Future<Void> future = calls.submit(() -> {
            engine.ping();
            return null;
        });
        try {
            await(future, PING, "pinging it");
            unanswered = null;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw EngineException.unanswered("No Docker engine answers at " + name + ": it gave no answer within " + PING.toSeconds()
                    + " s. Fix: start the engine (dockerd; scripts/env/docker-engine.sh on Debian) or point DOCKER_HOST at it", e);
        }
    }

    @Override
    public String architecture() throws EngineException {
        return call("asking for its version", engine::architecture);
    }

    @Override
    public Optional<ImageInfo> inspectImage(String reference) throws EngineException {
        return call("inspecting image " + reference, () -> engine.inspectImage(reference));
    }

    @Override
    public void pullImage(String reference, Consumer<String> output) throws EngineException {
        stream("pulling " + reference, out -> {
            engine.pullImage(reference, out);
            return null;
        }, output);
    }

    @Override
    public String buildImage(Path contextDir, String tag, Map<String, String> labels, Consumer<String> output) throws EngineException {
        return stream("building " + tag + " from " + contextDir, out -> engine.buildImage(contextDir, tag, labels, out), output);
    }

    @Override
    public String createNetwork(String network, Map<String, String> labels, boolean internal) throws EngineException {
        return call("creating network " + network, () -> engine.createNetwork(network, labels, internal));
    }

    @Override
    public List<String> namesInUse(List<String> names) throws EngineException {
        return call("looking up the names " + names, () -> engine.namesInUse(names));
    }

    @Override
    public String createVolume(String volume, Map<String, String> labels) throws EngineException {
        return call("creating volume " + volume, () -> engine.createVolume(volume, labels));
    }

    @Override
    public String createContainer(ContainerPlan plan) throws EngineException {
        String id = call("creating container " + plan.name(), () -> engine.createContainer(plan));
        containerNames.put(id, plan.name());
        return id;
    }

    @Override
    public String createToolContainer(ToolPlan plan) throws EngineException {
        String id = call("creating container " + plan.name(), () -> engine.createToolContainer(plan));
        containerNames.put(id, plan.name());
        return id;
    }

    @Override
    public long awaitExit(String id, Consumer<String> output) throws EngineException {
        return stream("running container " + container(id), out -> engine.awaitExit(id, out), output);
    }

    @Override
    public void copyFile(String id, String path, Path target) throws EngineException {
        call("copying " + path + " out of container " + container(id), () -> {
            engine.copyFile(id, path, target);
            return null;
        });
    }

    @Override
    public void startContainer(String id) throws EngineException {
        call("starting container " + container(id), () -> {
            engine.startContainer(id);
            return null;
        });
    }

    @Override
    public ContainerState inspectContainer(String id) throws EngineException {
        return call("inspecting container " + container(id), () -> engine.inspectContainer(id));
    }

    @Override
    public void stopContainer(String id, Duration timeout) throws EngineException {
        call("stopping container " + container(id), timeout, () -> {
            engine.stopContainer(id, timeout);
            return null;
        });
    }

    @Override
    public String logs(String id, int lines) throws EngineException {
        return call("reading the log of " + container(id), () -> engine.logs(id, lines));
    }

    @Override
    public List<Resource> list(Map<String, String> labels) throws EngineException {
        return call("listing what is labelled " + labels, () -> engine.list(labels));
    }

    @Override
    public void remove(Resource resource) throws EngineException {
        call("removing " + resource, () -> {
            engine.remove(resource);
            return null;
        });
    }

    @Override
    public void tagImage(String image, String reference) throws EngineException {
        call("tagging " + image + " as " + reference, () -> {
            engine.tagImage(image, reference);
            return null;
        });
    }

    @Override
    public void pushImage(String reference, Optional<RegistryAuth> auth, Consumer<String> output) throws EngineException {
        stream("pushing " + reference, out -> {
            engine.pushImage(reference, auth, out);
            return null;
        }, output);
    }

    @Override
    public String createOverlayNetwork(String network, Map<String, String> labels, boolean internal) throws EngineException {
        return call("creating overlay network " + network, () -> engine.createOverlayNetwork(network, labels, internal));
    }

    @Override
    public String createService(ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        return call("creating service " + plan.name(), () -> engine.createService(plan, auth));
    }

    @Override
    public void updateService(String id, long version, ServicePlan plan, Optional<RegistryAuth> auth) throws EngineException {
        call("updating service " + plan.name(), () -> {
            engine.updateService(id, version, plan, auth);
            return null;
        });
    }

    @Override
    public Optional<ServiceState> inspectService(String nameOrId) throws EngineException {
        return call("inspecting service " + nameOrId, () -> engine.inspectService(nameOrId));
    }

    @Override
    public List<TaskState> listTasks(String serviceId) throws EngineException {
        return call("listing the tasks of service " + serviceId, () -> engine.listTasks(serviceId));
    }

    @Override
    public List<SwarmNode> nodes() throws EngineException {
        return call("listing the swarm's nodes", engine::nodes);
    }

    @Override
    public List<Resource> listSwarm(Map<String, String> labels) throws EngineException {
        return call("listing the swarm's services, configs and secrets labelled " + labels, () -> engine.listSwarm(labels));
    }

    /** Closes the engine's connections, waiting at most {@link #CLOSE}: a silent engine may hold them. */
    @Override
    public void close() {
        Future<?> closing = calls.submit(engine::close);
        try {
            closing.get(CLOSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // what is left is released with this JVM: the threads are daemons
        } finally {
            calls.shutdownNow();
        }
    }

    private <T> T call(String what, Call<T> call) throws EngineException {
        return call(what, Duration.ZERO, call);
    }

    /** @param waits how long the call itself waits, on top of the engine's answer */
    private <T> T call(String what, Duration waits, Call<T> call) throws EngineException {
        requireAnswering(what);
        Future<T> future = calls.submit(call::run);
        try {
            return await(future, timeouts.call().plus(waits), what);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw notAnswering(what, "did not answer within " + seconds(timeouts.call()), EngineTimeouts.CALL_PROPERTY, e);
        }
    }

    private <T> T stream(String what, StreamCall<T> call, Consumer<String> output) throws EngineException {
        requireAnswering(what);
        AtomicLong lastOutput = new AtomicLong(System.nanoTime());
        StreamWatch watch = new StreamWatch(timeouts, System.nanoTime());
        Future<T> future = calls.submit(() -> call.run(line -> {
            lastOutput.set(System.nanoTime());
            output.accept(line);
        }));
        while (true) {
            try {
                return await(future, watch.heartbeat(), what);
            } catch (TimeoutException e) {
                switch (watch.next(System.nanoTime(), lastOutput.get(), this::answersPing)) {
                    case WAIT -> { }
                    case ENGINE_GONE -> throw cancelled(future, notAnswering(what, "answered no ping for " + seconds(timeouts.call()),
                            EngineTimeouts.CALL_PROPERTY, e));
                    case TOO_LONG -> throw cancelled(future, new EngineException("Docker did not finish " + what + " within "
                            + seconds(timeouts.build()) + ". Fix: if it takes that long, raise -D" + EngineTimeouts.BUILD_PROPERTY
                            + " (seconds)", e));
                }
            }
        }
    }

    private boolean answersPing() {
        try {
            ping();
            return true;
        } catch (EngineException e) {
            return false;
        }
    }

    /** Waits for the call; a failure inside it comes back as the engine's error, naming what was asked. */
    private <T> T await(Future<T> future, Duration limit, String what) throws EngineException, TimeoutException {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        }
    }

    private EngineException failure(String what, Throwable cause) {
        if (cause instanceof EngineException e) {
            return e;
        }
        if (causedBy(cause, SocketTimeoutException.class)) {
            // the transport's own read timeout, where it works (TCP), fired first
            return notAnswering(what, "did not answer within " + seconds(timeouts.call()), EngineTimeouts.CALL_PROPERTY, cause);
        }
        return new EngineException("Docker at " + name + " failed " + what + ": " + DockerJavaEngine.rootMessage(cause), cause);
    }

    private void requireAnswering(String what) throws EngineException {
        String first = unanswered;
        if (first != null) {
            throw EngineException.unanswered("Skipped " + what + ": the Docker engine at " + name + " stopped answering (" + first + ")",
                    null);
        }
    }

    private EngineException notAnswering(String what, String how, String property, Throwable cause) {
        unanswered = how + " while " + what;
        return EngineException.unanswered("The Docker engine at " + name + " " + how + " while " + what + ". Fix: check that it runs "
                + "and answers (docker info); if it is only slow, raise -D" + property + " (seconds)", cause);
    }

    private static EngineException cancelled(Future<?> future, EngineException e) {
        future.cancel(true);
        return e;
    }

    private String container(String id) {
        return containerNames.getOrDefault(id, id);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
