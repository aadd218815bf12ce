package dev.fabricembedded.jmh.shim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameClaim;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.impl.ChaincodeConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.GetState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@code ChaincodeStub.getState} inside a chaincode whose peer is another process, answered by a
 * scripted peer side from memory ({@link ScriptedPeerProcess}), as per-call latency percentiles (sample mode).
 *
 * <p>This JVM is the chaincode process: the shim's state machine runs on its Chronicle channel's event loop and
 * the JMH thread is the chaincode thread (it holds the stub of a TRANSACTION the peer started and that stays open
 * for the whole trial). Baselines in the same run: {@code rawIpcRoundTrip}, a frame of the same size echoed by the
 * other JVM over the same kind of channel (the transport alone, without the protocol), and {@code hashMapLookup},
 * the same lookup in-process; {@code protocolMessagesOnly} is the protobuf work of the exchange on one thread.
 * Every polling thread of both processes waits with the strategy of the
 * {@code waitStrategy} parameter.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true", "-Dpauser.minProcessors=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class ShimGetStateBenchmark {

    /** This JVM as a chaincode process attached to a scripted peer in a child JVM. */
    @State(Scope.Benchmark)
    public static class ChaincodeProcess {
        /**
         * How every polling thread of both processes waits (channel tailers and event loops, the chaincode
         * thread waiting for the peer's answer): {@code spinYieldPark} (the default) or {@code yielding} (for
         * fewer cores than polling threads). {@code busySpin} is accepted too ({@code -p waitStrategy=busySpin})
         * but needs a free core per polling thread: about six for this benchmark.
         */
        @Param({"spinYieldPark", "yielding"})
        public String waitStrategy;

        private Path base;
        private Process peerProcess;
        private ChaincodeConnection connection;
        private ChronicleChannel echoChannel;
        private final CountDownLatch release = new CountDownLatch(1);
        ChaincodeStub stub;
        final EchoWaiter echo = new EchoWaiter();
        final byte[] echoFrame = new byte[64];

        @Setup(Level.Trial)
        public void start() throws Exception {
            base = Files.createTempDirectory("shim-bench-");
            final WaitStrategy strategy = ScriptedPeerProcess.strategy(waitStrategy);
            echo.strategy = strategy;
            peerProcess = startPeer(base, waitStrategy);
            awaitReadyLine(peerProcess);
            final CompletableFuture<ChaincodeStub> held = new CompletableFuture<>();
            final Chaincode holding = new Chaincode() {
                @Override
                public Response init(final ChaincodeStub s) {
                    return Response.success();
                }

                @Override
                public Response invoke(final ChaincodeStub s) {
                    held.complete(s);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Response.success();
                }
            };
            connection = ChaincodeConnection.builder(holding, ScriptedPeerProcess.CHAINCODE_ID)
                    .responseWaitStrategy(strategy)
                    .open(handler -> ChronicleChannel.builder(base.resolve("peer"))
                            .name(ScriptedPeerProcess.CHAINCODE_ID).waitStrategy(strategy).attach(handler));
            stub = held.get(60, TimeUnit.SECONDS);
            echoChannel = ChronicleChannel.builder(base.resolve("echo")).name("echo").waitStrategy(strategy)
                    .attach(echo);
            echo.channel = echoChannel;
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            release.countDown();
            try {
                if (connection != null) {
                    connection.close();
                }
                if (echoChannel != null) {
                    echoChannel.close();
                }
            } finally {
                if (peerProcess != null && !peerProcess.waitFor(30, TimeUnit.SECONDS)) {
                    peerProcess.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                if (base != null) {
                    try (Stream<Path> files = Files.walk(base)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }

        private static Process startPeer(final Path base, final String waitStrategy) throws IOException {
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (flag.startsWith("--add-") || flag.startsWith("-Dchronicle.") || flag.startsWith("-Dpauser.")
                        || flag.startsWith("-Dorg.slf4j.")) {
                    command.add(flag);
                }
            }
            command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ScriptedPeerProcess.class.getName(), base.toString(), waitStrategy));
            return new ProcessBuilder(command).redirectError(base.resolve("peer.stderr").toFile()).start();
        }

        private static void awaitReadyLine(final Process process) throws IOException {
            final BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            final String line = out.readLine();
            if (line == null || !line.startsWith(ScriptedPeerProcess.READY_LINE)) {
                throw new IllegalStateException("scripted peer process did not start: " + line);
            }
        }
    }

    /** The in-process baseline. */
    @State(Scope.Benchmark)
    public static class InMemory {
        final Map<String, byte[]> state = new HashMap<>();
        final Map<String, ByteString> values = new HashMap<>();

        @Setup(Level.Trial)
        public void fill() {
            for (int i = 0; i < 1000; i++) {
                state.put("asset-" + i, ("{\"owner\":\"o" + i + "\"}").getBytes(StandardCharsets.UTF_8));
                values.put("asset-" + i, ByteString.copyFrom(state.get("asset-" + i)));
            }
            values.put(ScriptedPeerProcess.KEY, ByteString.copyFromUtf8(ScriptedPeerProcess.VALUE));
        }
    }

    @Benchmark
    public byte[] getStateInChaincodeProcess(final ChaincodeProcess side) {
        return side.stub.getState(ScriptedPeerProcess.KEY);
    }

    @Benchmark
    public long rawIpcRoundTrip(final ChaincodeProcess side) throws InterruptedException {
        return side.echo.roundTrip(side.echoFrame);
    }

    /** The raw round trip waited for the way the shim now waits: reading the answer itself through the lease. */
    @Benchmark
    public long rawIpcRoundTripLeased(final ChaincodeProcess side) throws InterruptedException {
        return side.echo.leasedRoundTrip(side.echoFrame);
    }

    @Benchmark
    public byte[] hashMapLookup(final InMemory memory) {
        return memory.state.get(ScriptedPeerProcess.KEY);
    }

    /**
     * The protocol's CPU work of one {@code getState} on one thread, without any transport: the shim's
     * GET_STATE request is serialized, parsed and answered as the scripted peer does, and the RESPONSE is
     * serialized and parsed as the shim does. What is left of {@code getStateInChaincodeProcess} after this and
     * the raw round trip is hand-over between threads.
     */
    @Benchmark
    public ByteString protocolMessagesOnly(final InMemory memory) throws InvalidProtocolBufferException {
        final byte[] request = ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.GET_STATE)
                .setChannelId("mychannel").setTxid("bench-tx")
                .setPayload(GetState.newBuilder().setKey(ScriptedPeerProcess.KEY).build().toByteString())
                .build().toByteArray();
        final ChaincodeMessage received = ChaincodeMessage.parseFrom(request);
        final String key = GetState.parseFrom(received.getPayload()).getKey();
        final byte[] response = ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.RESPONSE)
                .setChannelId(received.getChannelId()).setTxid(received.getTxid())
                .setPayload(memory.values.getOrDefault(key, ByteString.EMPTY)).build().toByteArray();
        return ChaincodeMessage.parseFrom(response).getPayload();
    }

    /**
     * Sends a frame on the echo channel and waits for it to come back, either handed over from the event-loop thread
     * to the waiting thread the way the shim does without a lease (spin, yield, then park with an unpark from the
     * event loop), or read by the waiting thread itself through the channel's inbound lease, as the shim now does.
     */
    static final class EchoWaiter implements FrameHandler {
        volatile WaitStrategy strategy = WaitStrategy.spinYieldPark();
        volatile FrameChannel channel;
        private volatile long received;
        private volatile Thread parkedWaiter;
        private long sent;

        long roundTrip(final byte[] frame) throws InterruptedException {
            final WaitStrategy wait = strategy;
            final long target = ++sent;
            channel.send(frame);
            int idle = 0;
            while (received < target) {
                if (wait.mayPark(idle)) {
                    parkedWaiter = Thread.currentThread();
                    if (received < target) {
                        wait.idle(idle);
                    }
                    parkedWaiter = null;
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                } else {
                    wait.idle(idle);
                }
                idle++;
            }
            return target;
        }

        /** Every frame on the echo channel is an echo: the claim takes whatever comes. */
        long leasedRoundTrip(final byte[] frame) throws InterruptedException {
            final WaitStrategy wait = strategy;
            try (InboundLease lease = ((HandlerExecutor) channel).tryLeaseInbound()) {
                if (lease == null) {
                    return roundTrip(frame);
                }
                channel.send(frame);
                int idle = 0;
                while (lease.poll(ANY) == null) {
                    wait.idle(idle);
                    if (wait.mayPark(idle) && Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    idle++;
                }
                return idle;
            }
        }

        private static final FrameClaim ANY = frame -> true;

        @Override
        public void onFrame(final FrameChannel end, final byte[] frame) {
            received++;
            final Thread waiter = parkedWaiter;
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }
}
