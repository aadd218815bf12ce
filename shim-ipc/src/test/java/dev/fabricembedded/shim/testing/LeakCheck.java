package dev.fabricembedded.shim.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Checks that a closed component left nothing behind: threads whose names start with the given prefixes (every
 * thread this project starts is named after its owner), live child processes, entries of directories.
 *
 * <p>Closing is asynchronous at the edges (a child process is reaped, a channel's threads end), so every assertion
 * first waits, bounded by {@value #WAIT_SECONDS} s, for what it checks to come true. A zombie child counts as gone:
 * reaping orphans is init's job, not the peer's.
 */
public final class LeakCheck {

    private static final int WAIT_SECONDS = 20;
    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);

    private final List<String> threadPrefixes;

    private LeakCheck(final List<String> threadPrefixes) {
        this.threadPrefixes = threadPrefixes;
    }

    /** A check of the threads whose names start with one of {@code prefixes} (plus child processes, directories). */
    public static LeakCheck threadsNamed(final String... prefixes) {
        return new LeakCheck(List.of(prefixes));
    }

    /** The live threads with one of this check's name prefixes, sorted by name. */
    public List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> threadPrefixes.stream().anyMatch(name::startsWith))
                .sorted()
                .toList();
    }

    /**
     * Waits until no such thread and no child process is alive and every directory is empty or gone, then asserts
     * it, naming what was left.
     */
    public void assertNothingLeft(final Path... directories) {
        await(() -> threads().isEmpty() && liveChildren().isEmpty()
                && Stream.of(directories).allMatch(dir -> entries(dir).isEmpty()), null);
        assertThat(threads()).as("threads left behind").isEmpty();
        assertNoChildProcess();
        for (final Path dir : directories) {
            assertEmpty(dir);
        }
    }

    /** Waits until this JVM has no live child process, then asserts it. */
    public static void assertNoChildProcess() {
        await(() -> liveChildren().isEmpty(), null);
        assertThat(liveChildren()).as("child processes left behind").isEmpty();
    }

    /** Waits until {@code dir} is empty or gone, then asserts it. */
    public static void assertEmpty(final Path dir) {
        await(() -> entries(dir).isEmpty(), null);
        assertThat(entries(dir)).as("entries left in " + dir).isEmpty();
    }

    /** The live (not zombie) child processes of this JVM. */
    public static List<ProcessHandle> liveChildren() {
        return ProcessHandle.current().children().filter(p -> !isGone(p.pid())).toList();
    }

    /** The live chaincode processes started for {@code name:version} (by their {@code --id} argument). */
    public static List<ProcessHandle> chaincodeProcesses(final String chaincodeId) {
        return liveChildren().stream()
                .filter(p -> p.info().commandLine().map(c -> c.contains("--id " + chaincodeId + " ")).orElse(false))
                .toList();
    }

    /** Whether the process has ended (a zombie counts as ended). */
    public static boolean isGone(final long pid) {
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

    /** The entries of a directory; none if it does not exist. */
    public static List<Path> entries(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> stream = Files.list(dir)) {
            return stream.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Waits until {@code condition} holds, polling every 20 ms for at most {@value #WAIT_SECONDS} s.
     *
     * @param what what is awaited, for the failure message; {@code null} to return quietly at the deadline (the
     *             caller asserts what it wanted itself)
     * @throws AssertionError at the deadline, if {@code what} is given
     */
    public static void await(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                if (what == null) {
                    return;
                }
                throw new AssertionError("not reached within " + WAIT_SECONDS + " s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
