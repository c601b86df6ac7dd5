package dev.dlb.core.run;

/**
 * A process, named so that a later process can tell whether it still runs. A pid means something only
 * inside the pid namespace it was read in, during the boot it was read in; the start time tells a
 * recycled pid apart.
 *
 * @param bootId the kernel's {@code /proc/sys/kernel/random/boot_id}: new at every boot, shared by every container on it
 * @param pidNamespace the target of {@code /proc/self/ns/pid}, such as {@code pid:[4026531836]}
 * @param startTicks when it started, in clock ticks after boot (field 22 of {@code /proc/PID/stat})
 */
public record ProcessId(String bootId, String pidNamespace, long pid, long startTicks) {

    /** What a machine without /proc records: nothing can be proven about such an owner. */
    public static final String UNKNOWN = "-";

    /** Whether pids read by both processes name the same processes: the same boot and the same pid namespace. */
    public boolean sharesPidsWith(ProcessId other) {
        return bootId.equals(other.bootId) && pidNamespace.equals(other.pidNamespace);
    }

    public boolean known() {
        return !bootId.equals(UNKNOWN) && !pidNamespace.equals(UNKNOWN);
    }
}
