package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default chaincode runtime: each chaincode is a child JVM running the shim's {@code ChaincodeMain} with the
 * package jars, attached to a Chronicle channel the peer created for it in a fresh private directory.
 *
 * <pre>{@code
 * try (ProcessRuntime runtime = ProcessRuntime.builder().channelBaseDir(dataDir.resolve("chaincode-channels")).build()) {
 *     RunningChaincode cc = runtime.start(LaunchSpec.builder("mycc", "1.0").packageJar(jar).build(), peerHandler);
 *     ...
 * }
 * }</pre>
 *
 * <p>The child: {@code <java.home>/bin/java} of the peer's JVM, the {@link ChronicleJvmFlags}, a heap of
 * {@code -Xmx256m} and the serial collector by default, the {@link ShimClasspath} of the peer's JVM then the
 * package jars, and {@code ChaincodeMain --id name:version --channel-dir DIR --jar JAR --peer-pid <peer pid>} (so the
 * chaincode notices at once if the peer dies). Its environment is the peer's plus {@code CORE_CHAINCODE_ID_NAME} and
 * the spec's variables. Its stdout and stderr are forwarded to this log as {@code chaincode mycc:1.0 | ...} by two
 * named daemon threads. The channel watches the process: its exit closes the channel with
 * {@code REMOTE_PROCESS_EXITED} after what it wrote has been delivered, and completes
 * {@link RunningChaincode#exit()} with {@code chaincode process <pid> exited with <code>}.
 *
 * <p>Stopping closes the channel (the shim then exits with 0), sends SIGTERM after the stop grace period and SIGKILL
 * after another, reaps the process and kills the descendants it had. {@link #close()} stops every chaincode; a JVM
 * shutdown hook kills them if the peer exits without closing the runtime, so children never outlive the peer.
 *
 * <p>Threads: one named daemon thread ({@code chaincode-process-exits}) finishes exited chaincodes; the set of
 * running chaincodes is a concurrent set, and starting and closing are serialized by a lock so that nothing started
 * can escape {@link #close()}.
 */
public final class ProcessRuntime extends JvmChaincodeRuntime<ChildProcessChaincode> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    /** Variables of the peer's environment that would confuse {@code ChaincodeMain} if inherited. */
    private static final Pattern SHIM_VARIABLES = Pattern.compile("CORE_CHAINCODE_ID_NAME|FABRIC_EMBEDDED_.*");

    private ProcessRuntime(final Builder builder) {
        super(builder, builder.command(builder.javaHome.resolve("bin").resolve("java").toString(),
                builder.shimClasspathOrDefault()), "process runtime", "process");
    }

    /** A builder with the defaults described on the class. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    ChildProcessChaincode launch(final LaunchSpec spec, final Path dir, final ObservedHandler handler) {
        final List<String> commandLine = command.forChaincode(spec,
                spec.packageJars().stream().map(Path::toString).toList(), dir.toString(), ProcessHandle.current().pid());
        final ChronicleChannel channel = createChannel(spec, dir, handler);
        final Process process;
        try {
            final ProcessBuilder processBuilder = new ProcessBuilder(commandLine);
            final Map<String, String> env = processBuilder.environment();
            env.keySet().removeIf(name -> SHIM_VARIABLES.matcher(name).matches());
            env.putAll(spec.env());
            env.put("CORE_CHAINCODE_ID_NAME", spec.chaincodeId());
            process = processBuilder.start();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId() + ": cannot run "
                    + commandLine.get(0) + ": " + e.getMessage(), e);
        }
        channel.watchProcess(process);
        final ChaincodeOutput output = new ChaincodeOutput(spec.chaincodeId());
        final List<Thread> pumps = List.of(output.pump(process.getInputStream(), "stdout"),
                output.pump(process.getErrorStream(), "stderr"));
        LOG.info("chaincode {}: started process {} (channel {})", spec.chaincodeId(), process.pid(), dir);
        LOG.debug("chaincode {}: command {}", spec.chaincodeId(), commandLine);
        return new ChildProcessChaincode(spec, channel, handler, process, output, pumps, stopGracePeriod);
    }

    @Override
    void follow(final ChildProcessChaincode chaincode, final Executor exitThread,
            final Consumer<ChildProcessChaincode> released) {
        chaincode.watchExit(exitThread, released);
    }

    @Override
    void abandon(final ChildProcessChaincode chaincode) {
        chaincode.watchExit(Runnable::run, c -> { });
        chaincode.stop();
    }

    @Override
    void endAtShutdown(final ChildProcessChaincode chaincode) {
        LOG.warn("JVM shutting down: killing {}", chaincode);
        chaincode.kill();
    }

    /** Settings of a {@link ProcessRuntime}; every one has a default. */
    public static final class Builder extends JvmChaincodeBuilder<Builder> {
        private Path javaHome = Path.of(System.getProperty("java.home"));

        private Builder() {
        }

        /** The JDK or JRE whose {@code bin/java} runs chaincodes (default: the peer's {@code java.home}). */
        public Builder javaHome(final Path home) {
            this.javaHome = Objects.requireNonNull(home, "home");
            return this;
        }

        /**
         * Creates the runtime.
         *
         * @throws IllegalStateException if the shim's class path cannot be found in this JVM
         */
        public ProcessRuntime build() {
            return new ProcessRuntime(this);
        }
    }
}
