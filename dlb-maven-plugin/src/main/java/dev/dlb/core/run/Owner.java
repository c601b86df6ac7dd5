package dev.dlb.core.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The build process that owns an attended session: its host name (for people), the process itself, and
 * the file it keeps locked while it lives, so that a process in another pid namespace can tell too.
 */
public record Owner(String host, ProcessId process, Optional<FileId> lock) {

    public static Owner current(ProcessTable processes, Optional<FileId> lock) {
        return new Owner(hostName(), processes.self(), lock);
    }

    /** {@code HOST/BOOT-ID/PID-NAMESPACE/PID/START-TICKS}; the lock has a label of its own. */
    public String label() {
        return String.join("/", host, process.bootId(), process.pidNamespace(), Long.toString(process.pid()),
                Long.toString(process.startTicks()));
    }

    /** The owner the labels name; empty when {@code label} is not one this version writes. */
    public static Optional<Owner> parse(String label, Optional<FileId> lock) {
        String[] parts = label == null ? new String[0] : label.split("/", -1);
        if (parts.length != 5) {
            return Optional.empty();
        }
        try {
            ProcessId process = new ProcessId(parts[1], parts[2], Long.parseLong(parts[3]), Long.parseLong(parts[4]));
            return Optional.of(new Owner(parts[0], process, lock));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "pid " + process.pid() + " on " + host;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
