package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running {@link ChannelChild}: {@code java} of this JVM's {@code java.home}, the test class
 * path and this JVM's Chronicle flags. Its stdout lines are collected for {@link #awaitLine}; its stderr goes
 * to a file quoted in failures. {@link #close()} kills and reaps it.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readLines, "test-child-" + process.pid() + "-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ChildJvm start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-Dchronicle.") || flag.startsWith("-Dpauser.")) {
                command.add(flag);
            }
        }
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChannelChild.class.getName());
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(workDir, "child-", ".stderr");
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new ChildJvm(process, stderr);
    }

    Process process() {
        return process;
    }

    /** Waits (bounded) for a stdout line starting with {@code prefix} and returns it. */
    String awaitLine(String prefix, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("child " + process.pid() + " did not print '" + prefix + "' within "
                        + timeoutSeconds + " s (alive: " + process.isAlive() + "); stderr:\n" + stderrText());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Closes {@code channel} from this side and checks that the child saw the remote close and exited with 0 (the
     * child is the {@code echo} of {@link ChannelChild}).
     */
    void closeChannelAndAwaitCleanExit(ChronicleChannel channel) throws Exception {
        channel.close();
        assertThat(awaitLine("CLOSED", 30)).isEqualTo("CLOSED REMOTE_CLOSE");
        assertThat(awaitExit(30)).isZero();
    }

    /** Waits (bounded) for the child to exit and returns its status. */
    int awaitExit(long timeoutSeconds) throws Exception {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " still running after " + timeoutSeconds
                    + " s; stderr:\n" + stderrText());
        }
        return process.exitValue();
    }

    /** SIGKILL, then reap. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String stderrText() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("READ-FAILED " + e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
