package dev.fabricembedded.ipc.chronicle;

import java.util.Objects;

/**
 * The process at the other end of a channel, polled by the liveness thread. A {@link Process} (a child
 * this JVM started) also yields its exit status for the close reason; a bare {@link ProcessHandle} only
 * its pid.
 */
final class WatchedProcess {

    private final ProcessHandle handle;
    private final Process process;

    private WatchedProcess(ProcessHandle handle, Process process) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.process = process;
    }

    static WatchedProcess of(ProcessHandle handle) {
        return new WatchedProcess(handle, null);
    }

    static WatchedProcess of(Process process) {
        return new WatchedProcess(process.toHandle(), process);
    }

    boolean isAlive() {
        return process != null ? process.isAlive() : handle.isAlive();
    }

    /** E.g. {@code process 4242 exited with status 137}. */
    String describeExit() {
        if (process != null && !process.isAlive()) {
            return "process " + handle.pid() + " exited with status " + process.exitValue();
        }
        return "process " + handle.pid() + " exited";
    }
}
