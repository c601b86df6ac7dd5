package dev.dlb.core.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that owns a session: host, pid and the pid's start time, so that a recycled pid is
 * never mistaken for the owner.
 */
public record Owner(String host, long pid, String started) {

    /** For a stack started by hand (mvn dlb:start): nobody's orphan, removed only by dlb:stop. */
    public static Owner unattended() {
        return new Owner("unattended", 0, "-");
    }

    public static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(hostName(), self.pid(), started(self));
    }

    public String label() {
        return host + "/" + pid + "/" + started;
    }

    public static Optional<Owner> parse(String label) {
        String[] parts = label == null ? new String[0] : label.split("/", 3);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Owner(parts[0], Long.parseLong(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True only when this host can tell that the owner process no longer runs. */
    public boolean isGone() {
        if (!host.equals(hostName())) {
            return false;
        }
        return ProcessHandle.of(pid).map(p -> !started(p).equals(started)).orElse(true);
    }

    private static String started(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse("unknown");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
