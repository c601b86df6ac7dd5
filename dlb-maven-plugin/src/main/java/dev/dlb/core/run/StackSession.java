package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.engine.EngineSettings;
import dev.dlb.core.spec.StackSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One start, as the start goal runs it: a new session id recorded in target/dlb before anything is
 * created, a watchdog when the stack must not outlive this JVM, then the stack itself.
 */
public final class StackSession {

    /** Attended: removed when this JVM ends without stop. Unattended: lives until stop (mvn dlb:start). Kept: debugging. */
    public enum Lifetime { ATTENDED, UNATTENDED, KEPT }

    private final ContainerEngine engine;
    private final EngineSettings engineSettings;
    private final HttpProbe probe;
    private final Pacer pacer;
    private final Consumer<String> log;

    /** @param engineSettings how {@code engine} was reached; the watchdog reaches the same engine with them */
    public StackSession(ContainerEngine engine, EngineSettings engineSettings, HttpProbe probe, Pacer pacer, Consumer<String> log) {
        this.engine = engine;
        this.engineSettings = engineSettings;
        this.probe = probe;
        this.pacer = pacer;
        this.log = log;
    }

    /** @param checkout the project directory: a later start from the same one may remove a stack kept for debugging */
    public RunningStack start(StackSpec spec, Lifetime lifetime, Path checkout)
            throws IOException, StackException, EngineException, InterruptedException {
        engine.ping();
        String session = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        RunFiles files = new RunFiles(spec.outputDirectory());
        files.writeSession(spec.projectId(), session);
        Ownership ownership = ownership(lifetime, files, session, FileId.of(checkout));
        // the watchdog's JVM comes up while the engine's checks run; nothing is created before it said that it runs
        Optional<WatchdogLauncher.Pending> watchdog = lifetime == Lifetime.ATTENDED ? Optional.of(beginWatchdog(spec, session, files))
                : Optional.empty();
        try {
            RunningStack stack = new StackStarter(engine, probe, pacer, log).start(spec, session, ownership,
                    () -> awaitWatchdog(watchdog, session, files));
            files.writeBalancer(stack);
            return stack;
        } catch (EngineException e) {
            throw e.unanswered() ? leftForLater(e, session, lifetime, files) : e;
        }
    }

    private WatchdogLauncher.Pending beginWatchdog(StackSpec spec, String session, RunFiles files) throws IOException {
        try {
            return WatchdogLauncher.begin(new WatchdogLauncher.Launch(spec.projectId(), session, files.markerFile(session),
                    spec.keepVolumes(), files.watchdogLog(session), files.watchdogReadyFile(session), engineSettings));
        } catch (IOException e) {
            files.clear();
            throw e;
        }
    }

    private void awaitWatchdog(Optional<WatchdogLauncher.Pending> pending, String session, RunFiles files)
            throws StackException, InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        try {
            WatchdogLauncher.Started watchdog = pending.get().awaitReady();
            log.accept("Watchdog " + watchdog.pid() + " removes session " + session + " if this process ends before stop ("
                    + watchdog.detached() + ")");
        } catch (StackException e) {
            clearQuietly(files, e); // nothing was created; a watchdog that comes up late finds no marker and ends
            throw e;
        }
    }

    private static void clearQuietly(RunFiles files, Exception e) {
        try {
            files.clear();
        } catch (IOException clearing) {
            e.addSuppressed(clearing);
        }
    }

    /** The session file stays, so that stop finds what the start created once the engine answers again. */
    private static EngineException leftForLater(EngineException e, String session, Lifetime lifetime, RunFiles files) {
        String remover = switch (lifetime) {
            case ATTENDED -> "this build's watchdog removes it once the engine answers (it tries for "
                    + Watchdog.SWEEP_RETRIES.toMinutes() + " minutes after the build ends), and so do mvn dlb:stop and the next start";
            case KEPT -> "mvn dlb:stop or the next start removes it once the engine answers";
            case UNATTENDED -> "mvn dlb:stop removes it once the engine answers";
        };
        return EngineException.unanswered(e.getMessage() + ". Whatever this start created is left in place, since the engine does not answer: " + remover
                + " (session " + session + ", kept in " + files.sessionFile() + "; everything it made carries its labels)", e);
    }

    /** An attended session's owner is this JVM, which holds the session's lock file from now until stop or its end. */
    private static Ownership ownership(Lifetime lifetime, RunFiles files, String session, Optional<FileId> checkout) throws IOException {
        if (lifetime != Lifetime.ATTENDED) {
            return Ownership.unowned(lifetime, checkout);
        }
        FileId lock = SessionLocks.hold(files.lockFile(session));
        return Ownership.attended(Owner.current(new ProcFs(), Optional.of(lock)), checkout);
    }
}
