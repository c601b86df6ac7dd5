package dev.dlb.core.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a server writes its access log to the container's output, where the engine's log driver handles every line.
 * Buffered by default: a line per write costs a system call and a wake-up of the engine per request.
 */
public enum AccessLog {
    /** Lines written in batches: nginx every 4 KB or second, httpd every 4 KB (BufferedLogs) and when it ends. */
    BUFFERED("buffered"),
    /** Every line written as its request ends. */
    ON("on"),
    /** No access log; errors are still logged. */
    OFF("off");

    private final String id;

    AccessLog(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<AccessLog> parse(String text) {
        return Arrays.stream(values()).filter(v -> v.id.equals(text)).findFirst();
    }

    public static List<String> allIds() {
        return Arrays.stream(values()).map(AccessLog::id).toList();
    }
}
