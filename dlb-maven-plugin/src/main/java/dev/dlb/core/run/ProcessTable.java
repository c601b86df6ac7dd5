package dev.dlb.core.run;

import java.util.OptionalLong;

/** What the kernel says about processes, as this process sees them: {@link ProcFs} on Linux, a fake in tests. */
public interface ProcessTable {

    /** This process. */
    ProcessId self();

    /** When the process with this pid (in this process's pid namespace) started; empty when there is none. */
    OptionalLong startTicks(long pid);
}
