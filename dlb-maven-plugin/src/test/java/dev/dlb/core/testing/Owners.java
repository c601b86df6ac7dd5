package dev.dlb.core.testing;

import dev.dlb.core.run.Owner;

/** Owners of sessions for the reaper: this process, or one on this host that no longer runs. */
public final class Owners {

    private Owners() {
    }

    public static Owner gone() {
        long pid = Integer.MAX_VALUE; // above any pid_max, and checked anyway
        while (ProcessHandle.of(pid).isPresent()) {
            pid--;
        }
        return new Owner(Owner.current().host(), pid, "2020-01-01T00:00:00Z");
    }
}
