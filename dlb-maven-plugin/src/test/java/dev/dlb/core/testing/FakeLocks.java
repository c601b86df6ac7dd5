package dev.dlb.core.testing;

import dev.dlb.core.run.FileId;
import dev.dlb.core.run.LockProbe;
import java.util.HashMap;
import java.util.Map;

/** Lock files and what probing each finds; any other file is out of reach. */
public final class FakeLocks implements LockProbe {

    private final Map<FileId, Reading> readings = new HashMap<>();
    private int probes;

    public FakeLocks with(FileId lock, State state) {
        readings.put(lock, new Reading(state, "fake " + state));
        return this;
    }

    public int probes() {
        return probes;
    }

    @Override
    public Reading probe(FileId lock) {
        probes++;
        return readings.getOrDefault(lock, new Reading(State.UNREACHABLE, "no such file here"));
    }
}
