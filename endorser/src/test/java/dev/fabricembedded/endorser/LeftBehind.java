package dev.fabricembedded.endorser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that a closed peer left nothing behind: child processes, queue directories. */
final class LeftBehind {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private LeftBehind() {
    }

    /** Waits (bounded) until this JVM has no live child process, then asserts it. Zombies count as gone. */
    static void assertNoChildProcess() {
        awaitEmpty(LeftBehind::liveChildren);
        assertThat(liveChildren()).as("child processes left behind").isEmpty();
    }

    /** Waits (bounded) until a directory is empty or gone, then asserts it. */
    static void assertEmpty(final Path dir) {
        awaitEmpty(() -> entries(dir));
        assertThat(entries(dir)).as("entries left in " + dir).isEmpty();
    }

    private static void awaitEmpty(final Supplier<List<?>> what) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!what.get().isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static List<ProcessHandle> liveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).filter(p -> !isZombie(p.pid()))
                .toList();
    }

    private static boolean isZombie(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<Path> entries(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var stream = Files.list(dir)) {
            return stream.toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }
}
