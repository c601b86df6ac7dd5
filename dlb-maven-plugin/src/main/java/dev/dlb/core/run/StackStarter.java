package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.ContainerPlan;
import dev.dlb.core.engine.ContainerPlan.VolumeMount;
import dev.dlb.core.engine.ContainerState;
import dev.dlb.core.engine.EngineException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Brings one session of a stack up: network, volumes, the replicas in parallel, then the balancer,
 * and returns only once every replica answered through the balancer. On any failure it prints
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
        engine.ping();
        requireImage(spec.web().image(), "<web><image>");
        requireImage(spec.balancer().image(), "<balancer><image>");
        StackNames names = StackNames.of(spec, session);
        // the project's own volumes, kept by an earlier stop, are reused rather than created
        Set<String> ownVolumes = engine.list(Labels.project(spec.projectId())).stream()
                .filter(r -> r.kind() == Resource.Kind.VOLUME).map(Resource::name).collect(Collectors.toSet());
        requireFreeNames(names, spec.web().replicas(), ownVolumes);
        PortCheck.requireFree(spec.balancer());
        reaper.reap(spec.projectId(), ownership.checkout());
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

    private void requireFreeNames(StackNames names, int replicas, Set<String> ownVolumes) throws EngineException, StackException {
        List<String> planned = new ArrayList<>(List.of(names.network(), names.webNetwork(), names.container(Topology.BALANCER)));
        for (int n = 1; n <= replicas; n++) {
            planned.add(names.replica(n));
        }
        planned.add(names.webVolume());
        planned.add(names.balancerVolume());
        // a volume of our name made by anyone else is not ours: the engine would hand it over unlabelled, the
        // replicas would write into it and a failed start remove it
        List<String> taken = engine.namesInUse(planned).stream().filter(n -> !ownVolumes.contains(n)).toList();
        if (!taken.isEmpty()) {
            throw new StackException("Docker already has " + String.join(", ", taken) + ", not made by this session; nothing was "
                    + "created and nothing of it was touched. Fix: remove or rename it, or start again (a new session picks new names)");
        }
    }

    private RunningStack create(StackSpec spec, StackNames names, LabelMaker labels, Set<String> ownVolumes, List<Resource> created)
            throws StackException, EngineException, InterruptedException {
        created.add(new Resource(Resource.Kind.NETWORK, engine.createNetwork(names.network(), labels.of("network"), false),
                names.network(), Map.of()));
        // the replicas' own network has no route out; only the balancer joins both
        created.add(new Resource(Resource.Kind.NETWORK, engine.createNetwork(names.webNetwork(), labels.of("network"), true),
                names.webNetwork(), Map.of()));
        createVolume(names.webVolume(), labels.volume(WEB_DATA), ownVolumes, created);
        createVolume(names.balancerVolume(), labels.volume(BALANCER_DATA), ownVolumes, created);
        Map<String, String> replicas = startReplicas(spec, names, labels, created);
        String balancer = publish(balancerPlan(spec, names, labels), spec, created);
        ContainerState state = engine.inspectContainer(balancer);
        int port = state.hostPort().orElseThrow(() -> new StackException("the balancer " + names.container(Topology.BALANCER)
                + " has no published port (state: " + state.describe() + ")"));
        String url = spec.balancer().reach().url(port);
        log.accept("Waiting for " + replicas.size() + " replicas to answer through the balancer at " + url);
        readiness.await(replicas, balancer, URI.create(url), spec.balancer().parsedStrategy(), spec.readyTimeout());
        return new RunningStack(names.session(), url, port, List.copyOf(replicas.keySet()));
    }

    /** Creates the volume; one the project kept from an earlier session is reused and not counted as this start's. */
    private void createVolume(String name, Map<String, String> labels, Set<String> ownVolumes, List<Resource> created)
            throws EngineException {
        engine.createVolume(name, labels);
        if (!ownVolumes.contains(name)) {
            created.add(new Resource(Resource.Kind.VOLUME, name, name, labels));
        }
    }

    /** Creates and starts every replica in parallel; returns replica name to container id, in replica order. */
    private Map<String, String> startReplicas(StackSpec spec, StackNames names, LabelMaker labels, List<Resource> created)
            throws StackException, EngineException, InterruptedException {
        int n = spec.web().replicas();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 8), StackStopper.daemon());
        List<Future<String>> ids = new ArrayList<>();
        try {
            for (int i = 1; i <= n; i++) {
                ContainerPlan plan = webPlan(spec, names, labels, i);
                ids.add(pool.submit(() -> createAndStart(plan, created)));
            }
            Map<String, String> replicas = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) {
                replicas.put(Topology.replicaName(i), await(ids.get(i - 1)));
            }
            return replicas;
        } finally {
            // after a failure, replicas not begun are dropped and those under way are waited for, so that
            // every container created is in the list the caller removes
            ids.forEach(f -> f.cancel(false));
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** Creates and starts the balancer; an engine that cannot publish it says why in terms of the configuration. */
    private String publish(ContainerPlan plan, StackSpec spec, List<Resource> created) throws EngineException {
        try {
            return createAndStart(plan, created);
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

    private void requireImage(String image, String xmlPath) throws EngineException, StackException {
        if (engine.inspectImage(image).isEmpty()) {
            throw new StackException("Image " + image + " (" + xmlPath + ") does not exist in the engine. Fix: run the "
                    + "build-images goal first (mvn package, or mvn dlb:build-images)");
        }
    }

    private static String await(Future<String> future) throws EngineException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EngineException engineException) {
                throw engineException;
            }
            throw new EngineException("creating a replica failed: " + e.getCause(), e.getCause());
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
