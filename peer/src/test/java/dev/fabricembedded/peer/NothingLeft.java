package dev.fabricembedded.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that closed peers and orderers left nothing behind: threads, child processes, chaincode channel files. */
public final class NothingLeft {

    private NothingLeft() {
    }

    /** Threads of chaincode support, IPC, runtimes and the orderer that are still alive. */
    public static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("chaincode-") || n.startsWith("ipc-") || n.startsWith("orderer-")
                        || n.startsWith("solo-orderer-") || n.startsWith("committer-") || n.startsWith("peer-"))
                .sorted()
                .toList();
    }

    /** Live (not zombie) child processes of this JVM. */
    public static List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(p -> p.isAlive() && !isZombie(p.pid())).toList();
    }

    private static boolean isZombie(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static List<Path> entries(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> stream = Files.list(dir)) {
            return stream.toList();
        }
    }

    /** Waits (bounded) for threads and child processes to be gone, then asserts it and that the directories are empty. */
    public static void assertNothingLeft(final Path... directories) throws IOException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((!threads().isEmpty() || !children().isEmpty()) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(threads()).as("threads left behind").isEmpty();
        assertThat(children()).as("child processes left behind").isEmpty();
        for (final Path dir : directories) {
            assertThat(entries(dir)).as("files left in " + dir).isEmpty();
        }
    }
}
