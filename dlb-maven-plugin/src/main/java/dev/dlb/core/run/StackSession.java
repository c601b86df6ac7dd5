package dev.dlb.core.run;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
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
    private final HttpProbe probe;
    private final Pacer pacer;
    private final Consumer<String> log;

    public StackSession(ContainerEngine engine, HttpProbe probe, Pacer pacer, Consumer<String> log) {
        this.engine = engine;
        this.probe = probe;
        this.pacer = pacer;
        this.log = log;
    }

    /** @param checkout the project directory: a later start from the same one may remove a stack kept for debugging */
    public RunningStack start(StackSpec spec, Lifetime lifetime, Path checkout)
            throws IOException, StackException, EngineException, InterruptedException {
        String session = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        RunFiles files = new RunFiles(spec.outputDirectory());
        files.writeSession(spec.projectId(), session);
        Ownership ownership = ownership(lifetime, files, session, FileId.of(checkout));
        if (lifetime == Lifetime.ATTENDED) {
            long pid = Watchdog.launch(spec.projectId(), session, files.markerFile(session), spec.keepVolumes(), files.watchdogLog(session));
            log.accept("Watchdog " + pid + " removes session " + session + " if this process ends before stop");
        }
        RunningStack stack = new StackStarter(engine, probe, pacer, log).start(spec, session, ownership);
        files.writeBalancer(stack);
        return stack;
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
