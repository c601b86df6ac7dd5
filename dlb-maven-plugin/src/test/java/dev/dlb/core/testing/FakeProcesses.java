package dev.dlb.core.testing;

import dev.dlb.core.run.ProcessId;
import dev.dlb.core.run.ProcessTable;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** A process table of chosen processes: "this process" and the pids that run, with their start times. */
public final class FakeProcesses implements ProcessTable {

    private final ProcessId self;
    private final Map<Long, Long> running = new HashMap<>();

    public FakeProcesses(ProcessId self) {
        this.self = self;
        running.put(self.pid(), self.startTicks());
    }

    public FakeProcesses running(long pid, long startTicks) {
        running.put(pid, startTicks);
        return this;
    }

    @Override
    public ProcessId self() {
        return self;
    }

    @Override
    public OptionalLong startTicks(long pid) {
        Long ticks = running.get(pid);
        return ticks == null ? OptionalLong.empty() : OptionalLong.of(ticks);
    }
}
