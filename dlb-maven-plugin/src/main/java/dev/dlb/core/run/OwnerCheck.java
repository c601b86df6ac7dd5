package dev.dlb.core.run;

import java.util.OptionalLong;

/**
 * Whether the build process that owns a session is provably gone, from where this process stands. A pid
 * proves it only within the boot and the pid namespace it was recorded in: there, no process of that pid,
 * or one that started at another time (a recycled pid), means gone. In another pid namespace of the same
 * boot (a CI agent in a container that shares the host's name), only the lock the owner holds proves it,
 * when this process can reach that very file. Anything else proves nothing: another boot may be another
 * machine sharing the engine.
 */
public final class OwnerCheck {

    public enum Liveness { ALIVE, GONE, UNKNOWN }

    public record Verdict(Liveness liveness, String why) {
    }

    private final ProcessTable processes;
    private final LockProbe locks;

    public OwnerCheck(ProcessTable processes, LockProbe locks) {
        this.processes = processes;
        this.locks = locks;
    }

    public Verdict check(Owner owner) {
        ProcessId here = processes.self();
        ProcessId there = owner.process();
        if (!here.known() || !there.known()) {
            return unknown("the kernel of " + (here.known() ? "its build" : "this build") + " could not be identified (no /proc)");
        }
        if (!there.bootId().equals(here.bootId())) {
            return unknown("its build ran under another kernel (boot id " + there.bootId() + ", here " + here.bootId()
                    + "): another machine using this engine, or this one before a reboot");
        }
        return there.sharesPidsWith(here) ? byPid(owner) : byLock(owner, here);
    }

    private Verdict byPid(Owner owner) {
        long pid = owner.process().pid();
        OptionalLong started = processes.startTicks(pid);
        if (started.isEmpty()) {
            return new Verdict(Liveness.GONE, "its Maven process " + pid + " is gone");
        }
        if (started.getAsLong() != owner.process().startTicks()) {
            return new Verdict(Liveness.GONE, "its Maven process " + pid + " is gone; that pid is another process's now");
        }
        return new Verdict(Liveness.ALIVE, "its Maven process " + pid + " still runs");
    }

    private Verdict byLock(Owner owner, ProcessId here) {
        String where = "its build, in another pid namespace (" + owner.process().pidNamespace() + ", here " + here.pidNamespace() + "),";
        if (owner.lock().isEmpty()) {
            return unknown(where + " recorded no lock file");
        }
        LockProbe.Reading reading = locks.probe(owner.lock().get());
        return switch (reading.state()) {
            case FREE -> new Verdict(Liveness.GONE, where + " no longer holds its lock on " + owner.lock().get().path());
            case HELD -> new Verdict(Liveness.ALIVE, where + " still holds its lock on " + owner.lock().get().path());
            case UNREACHABLE -> unknown(where + " holds a lock that cannot be checked from here: " + reading.detail());
        };
    }

    private static Verdict unknown(String why) {
        return new Verdict(Liveness.UNKNOWN, why);
    }
}
