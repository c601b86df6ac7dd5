package dev.dlb.core.run;

/** Whether the lock an owner holds on a file is still held: {@link SessionLocks} for real files, a fake in tests. */
public interface LockProbe {

    enum State {
        /** Some process holds it: the owner lives. */
        HELD,
        /** This process could take it: whoever held it is gone. */
        FREE,
        /** This process cannot reach that very file, so the lock proves nothing. */
        UNREACHABLE
    }

    /** @param detail for UNREACHABLE, why */
    record Reading(State state, String detail) {
    }

    Reading probe(FileId lock);
}
