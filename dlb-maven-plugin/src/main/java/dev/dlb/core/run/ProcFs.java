package dev.dlb.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The {@link ProcessTable} of a Linux /proc. Where there is none, this process is of an unknown boot and namespace. */
public final class ProcFs implements ProcessTable {

    /** Fields of /proc/PID/stat after "pid (comm) ": starttime is the 22nd field, the 20th after the command. */
    private static final int START_TIME_AFTER_COMM = 19;

    private final Path proc;

    public ProcFs() {
        this(Path.of("/proc"));
    }

    ProcFs(Path proc) {
        this.proc = proc;
    }

    @Override
    public ProcessId self() {
        try {
            String stat = Files.readString(proc.resolve("self/stat"));
            long pid = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
            return new ProcessId(Files.readString(proc.resolve("sys/kernel/random/boot_id")).strip(),
                    Files.readSymbolicLink(proc.resolve("self/ns/pid")).toString(), pid, startTicks(stat));
        } catch (IOException | RuntimeException e) {
            return new ProcessId(ProcessId.UNKNOWN, ProcessId.UNKNOWN, ProcessHandle.current().pid(), 0);
        }
    }

    @Override
    public OptionalLong startTicks(long pid) {
        try {
            return OptionalLong.of(startTicks(Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The command in parentheses may hold spaces and parentheses itself, so fields are counted after its last ')'. */
    private static long startTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[START_TIME_AFTER_COMM]);
    }
}
