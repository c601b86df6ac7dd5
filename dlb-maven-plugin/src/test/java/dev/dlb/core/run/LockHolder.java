package dev.dlb.core.run;

import java.nio.file.Path;

/** A JVM other than the test's that holds a session lock, as a build's would: prints HELD, then waits until stdin closes. */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        SessionLocks.hold(Path.of(args[0]));
        System.out.println("HELD");
        System.out.flush();
        System.in.read();
    }
}
