package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.chronicle.ChronicleChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings every runtime that starts a chaincode in its own JVM shares, whether that JVM is a child process
 * ({@link ProcessRuntime}) or runs in a container ({@link DockerRuntime}): one set of setters, defaults and checks,
 * so the two runtimes cannot drift apart.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract class JvmChaincodeBuilder<B extends JvmChaincodeBuilder<B>> {

    Path channelBaseDir;
    private String maxHeap = ChaincodeCommand.DEFAULT_MAX_HEAP;
    private List<String> jvmOptions = ChaincodeCommand.DEFAULT_JVM_OPTIONS;
    private List<Path> shimClasspath;
    Duration stopGracePeriod = Duration.ofSeconds(5);
    Consumer<ChronicleChannelBuilder> channelSettings = b -> { };

    JvmChaincodeBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Where channel directories are created (created if missing; stale ones from a crashed run are deleted); for a
     * container runtime it must be visible to the Docker daemon. Default: a temporary directory deleted when the
     * runtime closes.
     */
    public B channelBaseDir(final Path dir) {
        this.channelBaseDir = Objects.requireNonNull(dir, "dir");
        return self();
    }

    /** Maximum heap of each chaincode JVM, as for {@code -Xmx} (default {@code 256m}). */
    public B maxHeap(final String size) {
        this.maxHeap = ChaincodeCommand.checkHeapSize(size);
        return self();
    }

    /**
     * JVM options after the Chronicle flags and the heap, replacing the default
     * {@code -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError}.
     */
    public B jvmOptions(final List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return self();
    }

    /**
     * The shim's class path entries (default: {@link ShimClasspath#ofRunningJvm()}); a container runtime
     * bind-mounts them read-only.
     */
    public B shimClasspath(final List<Path> entries) {
        this.shimClasspath = List.copyOf(entries);
        return self();
    }

    /** How long a stopped chaincode gets to exit after its channel closed, and again after SIGTERM (default 5 s). */
    public B stopGracePeriod(final Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative()) {
            throw new IllegalArgumentException("stop grace period must not be negative, got " + period);
        }
        this.stopGracePeriod = period;
        return self();
    }

    /**
     * Adjusts each chaincode's channel (wait strategy, keepalive, frame size...) before it is created; its
     * directory and name are set by the runtime.
     */
    public B channelSettings(final Consumer<ChronicleChannelBuilder> settings) {
        this.channelSettings = Objects.requireNonNull(settings, "settings");
        return self();
    }

    /** The shim's class path in force: the one given, else the running JVM's. */
    List<Path> shimClasspathOrDefault() {
        return shimClasspath != null ? shimClasspath : ShimClasspath.ofRunningJvm();
    }

    /** The command that starts a chaincode JVM with {@code java}: heap, options and the shim's class path. */
    ChaincodeCommand command(final String java, final List<Path> shim) {
        final List<String> options = new ArrayList<>();
        options.add("-Xmx" + maxHeap);
        options.addAll(jvmOptions);
        return new ChaincodeCommand(java, options, shim.stream().map(Path::toString).toList());
    }
}
