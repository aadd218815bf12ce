package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Checks that nothing a runtime started outlives it: threads, child processes, files. */
final class Leaks {

    private Leaks() {
    }

    /** Whether the process is gone. A zombie counts as gone: reaping orphans is init's job, not the peer's. */
    static boolean isGone(final long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> !isZombie(pid)).isEmpty();
    }

    private static boolean isZombie(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Live child processes of this JVM. */
    static List<ProcessHandle> liveChildren() {
        return ProcessHandle.current().children().filter(p -> !isGone(p.pid())).toList();
    }

    /** Threads started by runtimes, channels or shims that are still alive. */
    static List<String> runtimeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("chaincode-") || n.startsWith("ipc-") || n.startsWith("docker-java"))
                .sorted()
                .toList();
    }

    /** Waits (bounded) until no runtime thread and no child process is left, then asserts it. */
    static void assertNothingLeft() {
        final long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((!runtimeThreads().isEmpty() || !liveChildren().isEmpty()) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(runtimeThreads()).as("threads left behind").isEmpty();
        assertThat(liveChildren()).as("child processes left behind").isEmpty();
    }

    /** Entries of a directory (empty if it does not exist). */
    static List<Path> entries(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var stream = Files.list(dir)) {
            return stream.toList();
        }
    }
}
