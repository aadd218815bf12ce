package dev.fabricembedded.jmh.ipc;

import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Round trip of a 100-byte frame between two processes: this JMH fork (the "peer") sends, an
 * {@link EchoProcess} (the "chaincode") sends it back. Two ways of driving it:
 *
 * <ul>
 *   <li>{@link #roundTrip}: the benchmark thread sends and waits for the echo; sampled per operation
 *       ({@link Mode#SampleTime}), so JMH prints p50, p90, p99, p99.9. A third polling thread (the benchmark
 *       thread) takes part, as a peer thread waiting for a chaincode's answer would.</li>
 *   <li>{@link #pingPong}: handler-driven, as the peer and a chaincode actually talk: the peer-side handler, on
 *       its event-loop thread, sends the next request as soon as the echo arrives, so only the two event-loop
 *       threads poll. An invocation is {@value #PING_PONG_ROUND_TRIPS} round trips, started on the event-loop
 *       thread through {@link ChronicleChannel#execute} while the benchmark thread parks until they are done.
 *       JMH reports the mean per round trip ({@link Mode#AverageTime}); the handler records every round trip's
 *       {@code System.nanoTime} delta into a preallocated array ({@link RoundTripSamples}), and the fork prints
 *       p50/p90/p99/p99.9/max of the measurement iterations (each, and all together) and appends them to
 *       {@code ipc-pingpong-percentiles.csv} in the working directory. The gRPC variant does the same from
 *       its client's response callback (a Netty event-loop thread, direct executor); the raw-queue variant
 *       from the benchmark thread, which is its one polling thread in this process.</li>
 * </ul>
 *
 * Transports, the same for both:
 * <ul>
 *   <li>{@code chronicle-busySpin}, {@code chronicle-yielding}, {@code chronicle-spinYieldPark}: a
 *       {@link ChronicleChannel} with that wait strategy on both sides (for each end's event-loop thread); in
 *       {@code roundTrip} the benchmark thread waits with it too, and is unparked by the event-loop thread if it
 *       parked;</li>
 *   <li>{@code raw-queue-busySpin}: the floor, not a transport ({@link RawQueuePingPong}): bare queues, one
 *       spinning thread per process, the benchmark thread reading its own reply;</li>
 *   <li>{@code grpc}: the baseline, what Fabric's peer-chaincode path costs: a grpc-java bidirectional stream over
 *       loopback, Netty transport, direct executors on both sides (gRPC's fastest set-up); in {@code roundTrip}
 *       the benchmark thread waits spin-yield-park.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true", "-Dpauser.minProcessors=1",
        "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class IpcRoundTripBenchmark {

    /** Round trips per {@link #pingPong} invocation. */
    public static final int PING_PONG_ROUND_TRIPS = 10_000;
    static final Path PING_PONG_RESULTS = Path.of("ipc-pingpong-percentiles.csv");

    /**
     * {@code chronicle-spinYieldPark} has doorbells (the default: idle event loops sleep on a FIFO the other side rings);
     * {@code chronicle-spinYieldPark-polling} is the same channel without them (its baseline: spin, yield, bounded parks).
     */
    @Param({"raw-queue-busySpin", "chronicle-busySpin", "chronicle-yielding", "chronicle-spinYieldPark",
            "chronicle-spinYieldPark-polling", "grpc"})
    public String transport;

    private final byte[] frame = new byte[100];
    private final byte[] rawReply = new byte[100];
    private volatile byte[] reply;
    /** The benchmark thread while it parks waiting for a reply; the receiving thread unparks it. */
    private volatile Thread parkedWaiter;
    private WaitStrategy waitStrategy;
    private Path base;
    private EchoChild child;
    private ChronicleChannel chronicle;
    private RawQueuePingPong raw;
    private ManagedChannel grpcChannel;
    private StreamObserver<byte[]> grpcRequests;

    // ---- handler-driven ping-pong ----
    private boolean pingPongMode;
    /** Sends the 100-byte request once more: on the Chronicle channel or the gRPC stream. */
    private Runnable pingPongSend;
    private RoundTripSamples samples;
    private boolean measuring;
    private int iteration;
    private String loadAtStart;
    /** Written by whichever thread starts an invocation before its first send, then by the echo handler. */
    private int pingPongIndex;
    private long pingPongSentAt;
    private volatile boolean pingPongDone;
    private volatile Thread pingPongWaiter;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        pingPongMode = params.getBenchmark().endsWith(".pingPong");
        if (pingPongMode) {
            samples = new RoundTripSamples(PING_PONG_ROUND_TRIPS);
            loadAtStart = loadAverage();
        }
        if ("grpc".equals(transport)) {
            waitStrategy = WaitStrategy.spinYieldPark();
            child = EchoChild.start("grpc");
            grpcChannel = NettyChannelBuilder.forAddress("127.0.0.1", child.port()).usePlaintext().directExecutor().build();
            grpcRequests = ClientCalls.asyncBidiStreamingCall(grpcChannel.newCall(GrpcEcho.CHAT, CallOptions.DEFAULT),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(byte[] value) {
                            if (pingPongMode) {
                                onPingPongEcho();
                            } else {
                                deliver(value);
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            pingPongSend = () -> grpcRequests.onNext(frame);
        } else if (transport.startsWith("raw-queue")) {
            base = Files.createTempDirectory("ipc-bench");
            Path dir = base.resolve("raw");
            raw = new RawQueuePingPong(dir, true);
            child = EchoChild.start("raw", dir.toString());
        } else {
            String strategy = transport.substring("chronicle-".length());
            waitStrategy = strategy(strategy);
            base = Files.createTempDirectory("ipc-bench");
            Path dir = base.resolve("bench");
            chronicle = ChronicleChannel.builder(dir).name("bench").waitStrategy(waitStrategy)
                    .doorbells(!strategy.endsWith("-polling"))
                    .create(new FrameHandler() {
                        @Override
                        public void onFrame(FrameChannel channel, byte[] echoed) {
                            if (pingPongMode) {
                                onPingPongEcho();
                            } else {
                                deliver(echoed);
                            }
                        }
                    });
            child = EchoChild.start("chronicle", dir.toString(), strategy);
            chronicle.watchProcess(child.process());
            pingPongSend = () -> chronicle.send(frame);
        }
    }

    @Benchmark
    public byte[] roundTrip() {
        if (raw != null) {
            raw.write(frame);
            raw.read(rawReply, () -> true);
            return rawReply;
        }
        reply = null;
        if (chronicle != null) {
            chronicle.send(frame);
        } else {
            grpcRequests.onNext(frame);
        }
        byte[] echoed;
        int idle = 0;
        while ((echoed = reply) == null) {
            if (waitStrategy.mayPark(idle)) {
                parkedWaiter = Thread.currentThread();
                if (reply == null) {
                    waitStrategy.idle(idle);
                }
                parkedWaiter = null;
            } else {
                waitStrategy.idle(idle);
            }
            idle++;
        }
        return echoed;
    }

    /**
     * {@value #PING_PONG_ROUND_TRIPS} round trips driven by the peer side's handler (see the class comment);
     * JMH's score is the mean time per round trip, the percentiles are printed by the fork.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(PING_PONG_ROUND_TRIPS)
    public void pingPong() {
        long[] times = samples.invocation();
        if (raw != null) {
            long sentAt = System.nanoTime();
            for (int i = 0; i < PING_PONG_ROUND_TRIPS; i++) {
                raw.write(frame);
                raw.read(rawReply, () -> true);
                long now = System.nanoTime();
                times[i] = now - sentAt;
                sentAt = now;
            }
        } else {
            pingPongDone = false;
            pingPongWaiter = Thread.currentThread();
            if (chronicle != null) {
                // started on the event-loop thread, which then does every round trip of the invocation
                chronicle.execute(this::startPingPong);
            } else {
                startPingPong();
            }
            while (!pingPongDone) {
                LockSupport.park(this);
            }
            pingPongWaiter = null;
        }
        if (measuring) {
            samples.keepInvocation();
        }
    }

    private void startPingPong() {
        pingPongIndex = 0;
        pingPongSentAt = System.nanoTime();
        pingPongSend.run();
    }

    /** On the peer's receiving thread: records the round trip, sends the next request or ends the invocation. */
    private void onPingPongEcho() {
        long now = System.nanoTime();
        int i = pingPongIndex;
        samples.invocation()[i] = now - pingPongSentAt;
        if (++i < PING_PONG_ROUND_TRIPS) {
            pingPongIndex = i;
            pingPongSentAt = now;
            pingPongSend.run();
        } else {
            pingPongDone = true;
            LockSupport.unpark(pingPongWaiter);
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        if (pingPongMode && measuring) {
            iteration++;
            System.out.println("pingPong " + transport + " iteration " + iteration + ": " + samples.iterationSummary());
        }
    }

    /** As a peer's event loop completes a waiting request: publish the reply, wake the waiter if parked. */
    private void deliver(byte[] echoed) {
        reply = echoed;
        Thread waiter = parkedWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** The one-minute load average, for the record (the machine is shared). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static WaitStrategy strategy(String name) {
        switch (name) {
            case "busySpin":
                return WaitStrategy.busySpin();
            case "yielding":
                return WaitStrategy.yielding();
            default:
                return WaitStrategy.spinYieldPark();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (pingPongMode) {
            String loadAtEnd = loadAverage();
            System.out.println("pingPong " + transport + " all measurement iterations: " + samples.trialSummary()
                    + " (load average " + loadAtStart + " at start, " + loadAtEnd + " at end)");
            RoundTripSamples.append(PING_PONG_RESULTS,
                    "transport,roundTrips,p50_us,p90_us,p99_us,p99.9_us,max_us,load1_start,load1_end",
                    transport + "," + samples.trialCsv() + "," + loadAtStart + "," + loadAtEnd);
        }
        if (grpcRequests != null) {
            grpcRequests.onCompleted();
            grpcChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (chronicle != null) {
            chronicle.close();
        }
        if (raw != null) {
            raw.close();
        }
        if (child != null) {
            child.close();
        }
        if (base != null) {
            try (Stream<Path> paths = Files.walk(base)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
