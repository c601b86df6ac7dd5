package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.Resource;
import dev.dlb.core.run.OwnerCheck.Liveness;
import dev.dlb.core.run.OwnerCheck.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Before a start: removes the project's sessions left behind, and only those that provably are. Another
 * checkout's build of the same project may be running its tests on its own session, so a session goes only
 * when its owner is provably gone ({@link OwnerCheck}), or when a debug run of this same checkout kept it.
 * Every other session is left alone, and the log says why and how to remove it.
 */
public final class OrphanReaper {

    private final ContainerEngine engine;
    private final StackStopper stopper;
    private final OwnerCheck owners;
    private final Consumer<String> log;

    public OrphanReaper(ContainerEngine engine, StackStopper stopper, OwnerCheck owners, Consumer<String> log) {
        this.engine = engine;
        this.stopper = stopper;
        this.owners = owners;
        this.log = log;
    }

    /** What to do with one session, and why. */
    record Decision(boolean remove, String why) {
    }

    /** @param checkout the project directory of the start that reaps */
    public void reap(String projectId, Optional<FileId> checkout) throws EngineException {
        reap(projectId, engine.list(Labels.project(projectId)), checkout);
    }

    /** @param project every resource of the project, as the engine listed them just now */
    public void reap(String projectId, List<Resource> project, Optional<FileId> checkout) throws EngineException {
        Map<String, List<Resource>> sessions = project.stream()
                .filter(r -> r.labels().containsKey(Labels.SESSION))
                .collect(Collectors.groupingBy(r -> r.labels().get(Labels.SESSION), TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Resource>> session : sessions.entrySet()) {
            Decision decision = decide(session.getKey(), session.getValue().get(0).labels(), checkout);
            if (decision.remove()) {
                log.accept("Removing session " + session.getKey() + " of " + projectId + " left behind (" + decision.why() + ")");
                stopper.remove(session.getValue());
            } else {
                log.accept("Leaving session " + session.getKey() + " of " + projectId + " alone: " + decision.why());
            }
        }
    }

    /** Every resource of a session carries the same ownership labels, so any one of them decides. */
    Decision decide(String session, Map<String, String> labels, Optional<FileId> checkout) {
        Optional<Ownership> ownership = Ownership.fromLabels(labels);
        if (ownership.isEmpty()) {
            return leave("its labels (" + Labels.OWNER + "=" + labels.get(Labels.OWNER) + ") are not ones this plugin version can "
                    + "check" + removeBy(session));
        }
        return switch (ownership.get().lifetime()) {
            case KEPT -> kept(session, ownership.get(), checkout);
            case UNATTENDED -> leave("started by hand (mvn dlb:start)" + in(ownership.get()) + "; it runs until mvn dlb:stop there"
                    + " (or mvn dlb:stop -Ddlb.stop.session=" + session + ")");
            case ATTENDED -> attended(session, ownership.get().owner().orElseThrow());
        };
    }

    private static Decision kept(String session, Ownership ownership, Optional<FileId> checkout) {
        boolean sameCheckout = checkout.isPresent() && ownership.checkout().map(c -> c.sameFile(checkout.get())).orElse(false);
        if (sameCheckout) {
            return new Decision(true, "kept running by an earlier debug run (-Ddlb.keepRunning) of this checkout");
        }
        return leave("kept running (-Ddlb.keepRunning) by a build" + in(ownership) + ", which is not this checkout; remove it there "
                + "with mvn dlb:stop, or here with mvn dlb:stop -Ddlb.stop.session=" + session);
    }

    private Decision attended(String session, Owner owner) {
        Verdict verdict = owners.check(owner);
        if (verdict.liveness() == Liveness.GONE) {
            return new Decision(true, verdict.why());
        }
        if (verdict.liveness() == Liveness.ALIVE) {
            return leave("its build is running (" + verdict.why() + ")");
        }
        return leave("nothing here proves that its build (" + owner + ") is gone: " + verdict.why() + removeBy(session));
    }

    private static String in(Ownership ownership) {
        return ownership.checkout().map(c -> " in " + c.path()).orElse(" in an unknown checkout");
    }

    private static String removeBy(String session) {
        return ". If that build is gone, remove the session with mvn dlb:stop -Ddlb.stop.session=" + session;
    }

    private static Decision leave(String why) {
        return new Decision(false, why);
    }
}
