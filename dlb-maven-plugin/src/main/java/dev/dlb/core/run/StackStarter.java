package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.ContainerPlan.VolumeMount;
import dev.dlb.core.engine.ContainerState;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.ImageInfo;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Brings one session of a stack up: networks and volumes, then the replicas and the balancer, all in
 * parallel, and returns only once every replica answered through the balancer. On any failure it prints
 * diagnostics and removes what it created before rethrowing.
 */
public final class StackStarter {

    private static final int RESTART_RETRIES = 5;
    private static final String WEB_DATA = "web-data";
    private static final String BALANCER_DATA = "balancer-data";

    private final ContainerEngine engine;
    private final Readiness readiness;
    private final StackStopper stopper;
    private final OrphanReaper reaper;
    private final Consumer<String> log;

    public StackStarter(ContainerEngine engine, HttpProbe probe, Pacer pacer, Consumer<String> log) {
        this(engine, probe, pacer, new OwnerCheck(new ProcFs(), new SessionLocks()), log);
    }

    /** @param owners how the sessions left behind are judged before this start */
    public StackStarter(ContainerEngine engine, HttpProbe probe, Pacer pacer, OwnerCheck owners, Consumer<String> log) {
        this.engine = engine;
        this.readiness = new Readiness(engine, probe, pacer);
        this.stopper = new StackStopper(engine, log);
        this.reaper = new OrphanReaper(engine, stopper, owners, log);
        this.log = log;
    }

    public RunningStack start(StackSpec spec, String session, Ownership ownership)
            throws StackException, EngineException, InterruptedException {
        return start(spec, session, ownership, () -> { });
    }

    /**
     * @param beforeCreate called once the checks passed, right before the first resource is created: a watchdog
     *     launched meanwhile is awaited there, so that its start overlaps the engine's checks
     */
    public RunningStack start(StackSpec spec, String session, Ownership ownership, Gate beforeCreate)
            throws StackException, EngineException, InterruptedException {
        engine.ping();
        StackNames names = StackNames.of(spec, session);
        Checks checks = check(spec, names);
        requireImage(checks.webImage(), spec.web().image(), "<web><image>");
        requireImage(checks.balancerImage(), spec.balancer().image(), "<balancer><image>");
        // the project's own volumes, kept by an earlier stop, are reused rather than created
        Set<String> ownVolumes = checks.project().stream()
                .filter(r -> r.kind() == Resource.Kind.VOLUME).map(Resource::name).collect(Collectors.toSet());
        requireFreeNames(checks.namesInUse(), ownVolumes);
        PortCheck.requireFree(spec.balancer());
        reaper.reap(spec.projectId(), checks.project(), ownership.checkout());
        beforeCreate.pass();
        List<Resource> created = Collections.synchronizedList(new ArrayList<>());
        try {
            return create(spec, names, new LabelMaker(spec.projectId(), session, ownership), ownVolumes, created);
        } catch (EngineException e) {
            if (e.unanswered()) {
                // each call would only wait out its own timeout; stop, the watchdog or the next start find it all by its labels
                log.accept("Start failed, and the engine does not answer, so what this start created (" + created.size()
                        + " known) is neither inspected nor removed now: " + e.getMessage());
                throw e;
            }
            cleanUp(e, spec, session, created);
            throw e;
        } catch (StackException | InterruptedException | RuntimeException e) {
            cleanUp(e, spec, session, created);
            throw e;
        }
    }

    /** What the start waits for before it creates anything. */
    @FunctionalInterface
    public interface Gate {
        void pass() throws StackException, InterruptedException;
    }

    /** What the engine says before anything is created, asked all at once. */
    private record Checks(Optional<ImageInfo> webImage, Optional<ImageInfo> balancerImage, List<Resource> project, List<String> namesInUse) {
    }

    private Checks check(StackSpec spec, StackNames names) throws EngineException, InterruptedException {
        try (Parallel parallel = new Parallel(4)) {
            Future<Optional<ImageInfo>> web = parallel.submit(() -> engine.inspectImage(spec.web().image()));
            Future<Optional<ImageInfo>> balancer = parallel.submit(() -> engine.inspectImage(spec.balancer().image()));
            Future<List<Resource>> project = parallel.submit(() -> engine.list(Labels.project(spec.projectId())));
            Future<List<String>> taken = parallel.submit(() -> engine.namesInUse(planned(names, spec.web().replicas())));
            return new Checks(Parallel.get(web), Parallel.get(balancer), Parallel.get(project), Parallel.get(taken));
        }
    }

    private void cleanUp(Exception e, StackSpec spec, String session, List<Resource> created) {
        new Diagnostics(engine, log).print(created, spec.outputDirectory());
        // what the engine made but never reported (a create cut short) still carries the session's labels
        List<Resource> leftovers = new ArrayList<>(created);
        try {
            leftovers.addAll(engine.list(Labels.session(spec.projectId(), session)));
        } catch (EngineException listing) {
            e.addSuppressed(listing);
        }
        log.accept("Start failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()) + "; removing the resources it created");
        try {
            stopper.remove(leftovers);
        } catch (EngineException cleanup) {
            e.addSuppressed(cleanup); // the cause of the failed start stays the error the user sees
        }
    }

    private static List<String> planned(StackNames names, int replicas) {
        List<String> planned = new ArrayList<>(List.of(names.network(), names.webNetwork(), names.container(Topology.BALANCER)));
        for (int n = 1; n <= replicas; n++) {
            planned.add(names.replica(n));
        }
        planned.add(names.webVolume());
        planned.add(names.balancerVolume());
        return planned;
    }

    /**
     * A volume of our name made by anyone else is not ours: the engine would hand it over unlabelled, the
     * replicas would write into it and a failed start remove it.
     */
    private static void requireFreeNames(List<String> inUse, Set<String> ownVolumes) throws StackException {
        List<String> taken = inUse.stream().filter(n -> !ownVolumes.contains(n)).toList();
        if (!taken.isEmpty()) {
            throw new StackException("Docker already has " + String.join(", ", taken) + ", not made by this session; nothing was "
                    + "created and nothing of it was touched. Fix: remove or rename it, or start again (a new session picks new names)");
        }
    }

    private RunningStack create(StackSpec spec, StackNames names, LabelMaker labels, Set<String> ownVolumes, List<Resource> created)
            throws StackException, EngineException, InterruptedException {
        createNetworksAndVolumes(names, labels, ownVolumes, created);
        Containers containers = startContainers(spec, names, labels, created);
        ContainerState state = containers.balancer().state();
        int port = state.hostPort().orElseThrow(() -> new StackException("the balancer " + names.container(Topology.BALANCER)
                + " has no published port (state: " + state.describe() + ")"));
        String url = spec.balancer().reach().url(port);
        log.accept("Waiting for " + containers.replicas().size() + " replicas to answer through the balancer at " + url);
        readiness.await(containers.replicas(), containers.balancer().id(), URI.create(url), spec.readyTimeout());
        return new RunningStack(names.session(), url, port, List.copyOf(containers.replicas().keySet()));
    }

    /** Both networks and both volumes at once: nothing among them depends on another. */
    private void createNetworksAndVolumes(StackNames names, LabelMaker labels, Set<String> ownVolumes, List<Resource> created)
            throws EngineException, InterruptedException {
        try (Parallel parallel = new Parallel(4)) {
            List<Future<Void>> done = List.of(
                    parallel.submit(() -> createNetwork(names.network(), labels, false, created)),
                    // the replicas' own network has no route out; only the balancer joins both
                    parallel.submit(() -> createNetwork(names.webNetwork(), labels, true, created)),
                    parallel.submit(() -> createVolume(names.webVolume(), labels.volume(WEB_DATA), ownVolumes, created)),
                    parallel.submit(() -> createVolume(names.balancerVolume(), labels.volume(BALANCER_DATA), ownVolumes, created)));
            for (Future<Void> f : done) {
                Parallel.get(f);
            }
        }
    }

    private Void createNetwork(String name, LabelMaker labels, boolean internal, List<Resource> created) throws EngineException {
        created.add(new Resource(Resource.Kind.NETWORK, engine.createNetwork(name, labels.of("network"), internal), name, Map.of()));
        return null;
    }

    /** Creates the volume; one the project kept from an earlier session is reused and not counted as this start's. */
    private Void createVolume(String name, Map<String, String> labels, Set<String> ownVolumes, List<Resource> created)
            throws EngineException {
        engine.createVolume(name, labels);
        if (!ownVolumes.contains(name)) {
            created.add(new Resource(Resource.Kind.VOLUME, name, name, labels));
        }
        return null;
    }

    /** The started containers: the balancer, and replica name to container id in replica order. */
    private record Containers(Published balancer, Map<String, String> replicas) {
    }

    /** The balancer's id, and its state once started (its published port). */
    private record Published(String id, ContainerState state) {
    }

    /**
     * Creates and starts the balancer and every replica at once. The balancer waits, by itself, for the replicas'
     * names to resolve, and its watcher follows one that comes later.
     */
    private Containers startContainers(StackSpec spec, StackNames names, LabelMaker labels, List<Resource> created)
            throws StackException, EngineException, InterruptedException {
        int n = spec.web().replicas();
        try (Parallel parallel = new Parallel(Math.min(n + 1, ContainerEngine.PARALLEL_CALLS))) {
            ContainerPlan balancerPlan = balancerPlan(spec, names, labels);
            Future<Published> balancer = parallel.submit(() -> publish(balancerPlan, spec, created));
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                ContainerPlan plan = webPlan(spec, names, labels, i);
                ids.add(parallel.submit(() -> createAndStart(plan, created)));
            }
            Map<String, String> replicas = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) {
                replicas.put(Topology.replicaName(i), Parallel.get(ids.get(i - 1)));
            }
            return new Containers(Parallel.get(balancer), replicas);
        }
    }

    /**
     * Creates and starts the balancer, and asks for its published port while the replicas may still be starting; an
     * engine that cannot publish it says why in terms of the configuration.
     */
    private Published publish(ContainerPlan plan, StackSpec spec, List<Resource> created) throws EngineException {
        try {
            String id = createAndStart(plan, created);
            return new Published(id, engine.inspectContainer(id));
        } catch (EngineException e) {
            Optional<InvalidSpecException> refusal = PortCheck.refusal(e, spec.balancer());
            if (refusal.isPresent()) {
                throw refusal.get();
            }
            throw e;
        }
    }

    private String createAndStart(ContainerPlan plan, List<Resource> created) throws EngineException {
        String id = engine.createContainer(plan);
        created.add(new Resource(Resource.Kind.CONTAINER, id, plan.name(), plan.labels()));
        engine.startContainer(id);
        log.accept("Started " + plan.name() + " (" + plan.image() + ")");
        return id;
    }

    private static ContainerPlan webPlan(StackSpec spec, StackNames names, LabelMaker labels, int n) {
        return new ContainerPlan(names.replica(n), spec.web().image(), Topology.replicaName(n), List.of(names.webNetwork()),
                Topology.webEnvironment(spec.web(), n), labels.of("web"),
                List.of(new VolumeMount(names.webVolume(), Topology.WEB_DATA_MOUNT, labels.volume(WEB_DATA))), Topology.HTTP_PORT, Optional.empty(), RESTART_RETRIES,
                Hardenings.web(spec.web().limits()));
    }

    private static ContainerPlan balancerPlan(StackSpec spec, StackNames names, LabelMaker labels) {
        return new ContainerPlan(names.container(Topology.BALANCER), spec.balancer().image(), Topology.BALANCER,
                List.of(names.network(), names.webNetwork()), Topology.balancerEnvironment(spec), labels.of("balancer"),
                List.of(new VolumeMount(names.balancerVolume(), Topology.BALANCER_DATA_MOUNT, labels.volume(BALANCER_DATA))),
                Topology.HTTP_PORT,
                Optional.of(new ContainerPlan.HostBinding(spec.balancer().bindAddress(), spec.balancer().port())), RESTART_RETRIES,
                Hardenings.balancer(spec.balancer().limits()));
    }

    private static void requireImage(Optional<ImageInfo> found, String image, String xmlPath) throws StackException {
        if (found.isEmpty()) {
            throw new StackException("Image " + image + " (" + xmlPath + ") does not exist in the engine. Fix: run the "
                    + "build-images goal first (mvn package, or mvn dlb:build-images)");
        }
    }

    /**
     * Labels for this session's resources; volumes carry no session, since they may outlive it. A volume a
     * container mounts carries them too, should the engine have to create it again (one removed by another
     * session's stop between its creation here and the container's).
     */
    private record LabelMaker(String projectId, String session, Ownership ownership) {

        Map<String, String> of(String role) {
            return Labels.of(projectId, session, role, ownership);
        }

        Map<String, String> volume(String role) {
            return Map.of(Labels.PROJECT, projectId, Labels.ROLE, role);
        }
    }
}
