package dev.dlb.core.swarm;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.engine.ServicePlan;
import dev.dlb.core.engine.ServiceState;
import dev.dlb.core.engine.SwarmNode;
import dev.dlb.core.engine.TaskState;
import dev.dlb.core.run.HttpProbe;
import dev.dlb.core.run.Labels;
import dev.dlb.core.run.Pacer;
import dev.dlb.core.run.StackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Deploys the stack to a swarm through one of its managers: both images tagged and pushed to the registry the nodes
 * pull from, then the overlay network and the two services created, or, when they are there from an earlier deploy,
 * updated in place (Swarm replaces tasks as their update policy says: rolling, start-first). Ready means every replica
 * slot seen answering through the published balancer. A first deploy that fails removes what it created; a failed
 * update is rolled back by Swarm itself (failure action rollback) and said so.
 */
public final class SwarmDeployer {

    /** Web tasks stop gracefully within their stop grace period (10 s), then their containers go. */
    private static final Duration TASKS_GONE = Duration.ofSeconds(60);

    private final ContainerEngine engine;
    private final HttpProbe probe;
    private final Pacer pacer;
    private final Consumer<String> log;

    public SwarmDeployer(ContainerEngine engine, HttpProbe probe, Pacer pacer, Consumer<String> log) {
        this.engine = engine;
        this.probe = probe;
        this.pacer = pacer;
        this.log = log;
    }

    public DeployedStack deploy(SwarmDeployment d) throws StackException, EngineException, InterruptedException {
        List<SwarmNode> nodes = engine.nodes();
        log.accept("deploying to a swarm of " + nodes.size() + " nodes: " + nodes.stream().map(SwarmNode::hostname).toList());
        push(d);
        Optional<ServiceState> web = engine.inspectService(d.web().name());
        if (web.isPresent()) {
            update(d, web.get());
        } else {
            create(d);
        }
        return new DeployedStack(d.balancerUrl(), d.web().replicas(), web.isPresent(), webNodes(d, nodes));
    }

    private void push(SwarmDeployment d) throws EngineException {
        for (SwarmDeployment.ImagePush image : d.images()) {
            engine.tagImage(image.local(), image.remote());
            log.accept("pushing " + image.remote() + d.auth().map(a -> " as " + a.username()).orElse(""));
            engine.pushImage(image.remote(), d.auth(), line -> { });
        }
    }

    /**
     * Creates network and services; on any failure, ready included, removes what it created, the volumes its tasks made on
     * this node included, and says what went wrong.
     */
    private void create(SwarmDeployment d) throws StackException, EngineException, InterruptedException {
        List<Resource> created = new ArrayList<>();
        List<Resource> before = engine.list(Labels.project(d.projectId()));
        Set<String> volumesBefore = names(before, Resource.Kind.VOLUME);
        try {
            Set<String> there = names(before, Resource.Kind.NETWORK);
            for (SwarmDeployment.Network n : d.networks()) {
                if (!there.contains(n.name())) {
                    created.add(new Resource(Resource.Kind.NETWORK, engine.createOverlayNetwork(n.name(), n.labels(), n.internal()), n.name(),
                            n.labels()));
                }
            }
            for (ServicePlan plan : List.of(d.web(), d.balancer())) {
                created.add(new Resource(Resource.Kind.SERVICE, engine.createService(plan, d.auth()), plan.name(), plan.labels()));
                log.accept("created service " + plan.name() + " (" + plan.replicas() + (plan.replicas() == 1 ? " replica)" : " replicas)"));
            }
            awaitReady(d);
        } catch (StackException | EngineException | RuntimeException e) {
            throw new StackException("The deploy failed: " + e.getMessage() + ". " + removeAfterFailure(created, d.projectId(), volumesBefore), e);
        }
    }

    private static Set<String> names(List<Resource> resources, Resource.Kind kind) {
        return resources.stream().filter(r -> r.kind() == kind).map(Resource::name).collect(Collectors.toSet());
    }

    private List<Resource> projectVolumes(String projectId) throws EngineException {
        return engine.list(Labels.project(projectId)).stream().filter(r -> r.kind() == Resource.Kind.VOLUME).toList();
    }

    /**
     * Services first (their tasks stop), then networks, then the volumes that were not there before the deploy: the
     * tasks made them on the node that ran them; this engine's are removed, other nodes keep theirs as after an undeploy.
     */
    private String removeAfterFailure(List<Resource> created, String projectId, Set<String> volumesBefore) throws InterruptedException {
        List<Resource> reversed = new ArrayList<>(created);
        Collections.reverse(reversed);
        List<Resource> services = reversed.stream().filter(r -> r.kind() == Resource.Kind.SERVICE).toList();
        List<Resource> removed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (Resource r : services) {
            removeNoting(r, removed, left);
        }
        awaitTasksGoneNoting(services, left);
        for (Resource r : reversed.stream().filter(r -> r.kind() != Resource.Kind.SERVICE).toList()) {
            removeNoting(r, removed, left);
        }
        try {
            for (Resource v : projectVolumes(projectId)) {
                if (!volumesBefore.contains(v.name())) {
                    removeNoting(v, removed, left);
                }
            }
        } catch (EngineException e) {
            left.add("the project's volumes (" + e.getMessage() + ")");
        }
        String said = removed.isEmpty() ? "It had created nothing" : "Removed what it had created: " + removed;
        return left.isEmpty() ? said + "." : said + ", except " + left + ". Fix: run dlb:undeploy";
    }

    private void awaitTasksGoneNoting(List<Resource> services, List<String> left) throws InterruptedException {
        try {
            awaitTasksGone(services.stream().map(Resource::id).toList());
        } catch (EngineException e) {
            left.add("the services' tasks (" + e.getMessage() + ")");
        }
    }

    private void removeNoting(Resource r, List<Resource> removed, List<String> left) throws InterruptedException {
        try {
            removeWithRetry(r);
            removed.add(r);
        } catch (EngineException e) {
            left.add(r + " (" + e.getMessage() + ")");
        }
    }

    /** A network still attached to tasks that are going, or a volume their containers still mount, refuses removal for a few seconds. */
    private void removeWithRetry(Resource r) throws EngineException, InterruptedException {
        long deadline = pacer.deadline(Duration.ofSeconds(30));
        for (int attempt = 0; ; attempt++) {
            try {
                engine.remove(r);
                return;
            } catch (EngineException e) {
                if (r.kind() == Resource.Kind.SERVICE || !pacer.before(deadline)) {
                    throw e;
                }
                pacer.pause(attempt + 4);
            }
        }
    }

    private void update(SwarmDeployment d, ServiceState web) throws StackException, EngineException, InterruptedException {
        engine.updateService(web.id(), web.version(), d.web(), d.auth());
        log.accept("updating service " + d.web().name() + " (rolling, " + (d.web().update().startFirst() ? "start-first" : "stop-first")
                + ") to " + d.web().replicas() + " replicas");
        Optional<ServiceState> balancer = engine.inspectService(d.balancer().name());
        if (balancer.isPresent()) {
            engine.updateService(balancer.get().id(), balancer.get().version(), d.balancer(), d.auth());
        } else {
            engine.createService(d.balancer(), d.auth());
        }
        awaitUpdated(d, d.web().name());
        awaitUpdated(d, d.balancer().name());
        awaitReady(d);
    }

    /** Until Swarm says the update completed; a rolled-back or paused one fails, with Swarm's own message. */
    private void awaitUpdated(SwarmDeployment d, String service) throws StackException, EngineException, InterruptedException {
        long deadline = pacer.deadline(d.readyTimeout());
        for (int attempt = 0; pacer.before(deadline); attempt++) {
            ServiceState state = engine.inspectService(service).orElseThrow(() -> new StackException("service " + service + " vanished"));
            String update = state.updateState().orElse("completed");
            if (update.equals("completed")) {
                return;
            }
            if (update.startsWith("rollback") || update.equals("paused")) {
                throw new StackException("Swarm did not complete the update of service " + service + " (" + update + "): "
                        + state.updateMessage() + (update.startsWith("rollback") ? "; it rolled the service back to what ran before" : "")
                        + ". Fix: read docker service ps " + service + " on a manager");
            }
            pacer.pause(attempt + 4);
        }
        throw new StackException("The update of service " + service + " did not complete within " + d.readyTimeout().toSeconds()
                + " s. Fix: read docker service ps " + service + ", or raise <readyTimeout> (-Ddlb.readyTimeout)");
    }

    /** Until every slot 1..replicas has answered through the published balancer, by its replica header (web-N). */
    private void awaitReady(SwarmDeployment d) throws StackException, EngineException, InterruptedException {
        Set<String> wanted = IntStream.rangeClosed(1, d.web().replicas()).mapToObj(n -> "web-" + n).collect(Collectors.toCollection(TreeSet::new));
        Set<String> seen = new TreeSet<>();
        long deadline = pacer.deadline(d.readyTimeout());
        for (int attempt = 0; pacer.before(deadline); attempt++) {
            for (int i = 0; i < wanted.size() * 2 && !seen.containsAll(wanted); i++) {
                probe.get(d.balancerUrl()).filter(a -> a.status() == 200).flatMap(HttpProbe.Answer::replica).ifPresent(seen::add);
            }
            if (seen.containsAll(wanted)) {
                log.accept(wanted.size() + " replicas answering through " + d.balancerUrl());
                return;
            }
            pacer.pause(attempt);
        }
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(seen);
        throw new StackException("not every replica answered through " + d.balancerUrl() + " within " + d.readyTimeout().toSeconds()
                + " s: never seen " + missing + "; " + taskReport(d.web().name()) + "; " + taskReport(d.balancer().name())
                + ". Fix: read docker service ps " + d.web().name() + " " + d.balancer().name()
                + " on a manager (a task pending on \"no suitable node\" wants a placement constraint that some node meets), or raise"
                + " <readyTimeout> (-Ddlb.readyTimeout)");
    }

    private String taskReport(String service) throws EngineException {
        Optional<ServiceState> state = engine.inspectService(service);
        if (state.isEmpty()) {
            return "service " + service + " is gone";
        }
        return "the tasks of " + service + ": " + engine.listTasks(state.get().id()).stream().filter(t -> t.desiredState().equals("running"))
                .map(t -> "slot " + t.slot() + " " + t.state() + (t.message().isEmpty() ? "" : " (" + t.message() + ")")).toList();
    }

    private List<String> webNodes(SwarmDeployment d, List<SwarmNode> nodes) throws EngineException {
        Map<String, String> hostnames = nodes.stream().collect(Collectors.toMap(SwarmNode::id, SwarmNode::hostname));
        String id = engine.inspectService(d.web().name()).map(ServiceState::id).orElse(d.web().name());
        return engine.listTasks(id).stream().filter(TaskState::running).map(t -> hostnames.getOrDefault(t.nodeId(), t.nodeId()))
                .distinct().sorted().toList();
    }

    /** A removed service's tasks stay listed until their nodes stopped their containers: the undeploy waits for that. */
    private void awaitTasksGone(List<String> services) throws EngineException, InterruptedException {
        long deadline = pacer.deadline(TASKS_GONE);
        for (int attempt = 0; ; attempt++) {
            List<TaskState> left = new ArrayList<>();
            for (String id : services) {
                left.addAll(engine.listTasks(id));
            }
            if (left.isEmpty()) {
                return;
            }
            if (!pacer.before(deadline)) {
                log.accept("after " + TASKS_GONE.toSeconds() + " s, " + left.size() + " tasks of the removed services are still stopping; "
                        + "their nodes remove them");
                return;
            }
            pacer.pause(attempt + 4);
        }
    }

    /**
     * Removes every service, config and secret labelled with the project, then its networks (retried while the tasks
     * leave them). Returns what it removed; nothing there is no error.
     */
    public List<Resource> undeploy(String projectId) throws EngineException, InterruptedException {
        engine.nodes();
        List<Resource> removed = new ArrayList<>();
        List<Resource> swarm = new ArrayList<>(engine.listSwarm(Labels.project(projectId)));
        swarm.sort((a, b) -> Boolean.compare(a.kind() != Resource.Kind.SERVICE, b.kind() != Resource.Kind.SERVICE));
        for (Resource r : swarm) {
            engine.remove(r);
            removed.add(r);
        }
        awaitTasksGone(removed.stream().filter(r -> r.kind() == Resource.Kind.SERVICE).map(Resource::id).toList());
        for (Resource r : engine.list(Labels.project(projectId))) {
            if (r.kind() == Resource.Kind.NETWORK) {
                removeWithRetry(r);
                removed.add(r);
            }
        }
        log.accept(removed.isEmpty() ? "nothing of " + projectId + " deployed" : "removed " + removed);
        return removed;
    }
}
