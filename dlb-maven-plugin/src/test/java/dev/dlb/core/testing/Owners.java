package dev.dlb.core.testing;

import dev.dlb.core.run.FileId;
import dev.dlb.core.run.Owner;
import dev.dlb.core.run.Ownership;
import dev.dlb.core.run.ProcFs;
import dev.dlb.core.run.ProcessId;
import java.nio.file.Path;
import java.util.Optional;

/** Owners of sessions for the reaper: this process, or one of this boot and pid namespace that no longer runs. */
public final class Owners {

    private Owners() {
    }

    public static Owner current() {
        return Owner.current(new ProcFs(), Optional.empty());
    }

    /** An attended session owned by this JVM, started from the working directory. */
    public static Ownership me() {
        return Ownership.attended(current(), FileId.of(Path.of("")));
    }

    public static Owner gone() {
        ProcFs proc = new ProcFs();
        long pid = Integer.MAX_VALUE; // above any pid_max, and checked anyway
        while (proc.startTicks(pid).isPresent()) {
            pid--;
        }
        ProcessId me = proc.self();
        return new Owner(current().host(), new ProcessId(me.bootId(), me.pidNamespace(), pid, 1), Optional.empty());
    }
}
