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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trip of a 100-byte frame between two processes: this JMH fork (the "peer") sends, an
 * {@link EchoProcess} (the "chaincode") sends it back, and the benchmark thread waits for it. Sampled per
 * operation ({@link Mode#SampleTime}), so JMH prints p50, p90, p99, p99.9.
 *
 * <ul>
 *   <li>{@code chronicle-busySpin}, {@code chronicle-yielding}, {@code chronicle-spinYieldPark}: a
 *       {@link ChronicleChannel} with that wait strategy on both sides (tailer and event-loop threads); the
 *       benchmark thread waits with it too, and is unparked by the event-loop thread if it parked, as a peer
 *       thread waiting for a chaincode's answer would be;</li>
 *   <li>{@code raw-queue-busySpin}: the floor, not a transport ({@link RawQueuePingPong}): bare queues, one
 *       spinning thread per process, the benchmark thread reading its own reply;</li>
 *   <li>{@code grpc}: the baseline, what Fabric's peer-chaincode path costs: a grpc-java bidirectional stream over
 *       loopback, Netty transport, direct executors on both sides (gRPC's fastest set-up); the benchmark thread
 *       waits spin-yield-park.</li>
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

    @Param({"raw-queue-busySpin", "chronicle-busySpin", "chronicle-yielding", "chronicle-spinYieldPark", "grpc"})
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

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if ("grpc".equals(transport)) {
            waitStrategy = WaitStrategy.spinYieldPark();
            child = EchoChild.start("grpc");
            grpcChannel = NettyChannelBuilder.forAddress("127.0.0.1", child.port()).usePlaintext().directExecutor().build();
            grpcRequests = ClientCalls.asyncBidiStreamingCall(grpcChannel.newCall(GrpcEcho.CHAT, CallOptions.DEFAULT),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(byte[] value) {
                            deliver(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
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
                    .create(new FrameHandler() {
                        @Override
                        public void onFrame(FrameChannel channel, byte[] echoed) {
                            deliver(echoed);
                        }
                    });
            child = EchoChild.start("chronicle", dir.toString(), strategy);
            chronicle.watchProcess(child.process());
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

    /** As a peer's event loop completes a waiting request: publish the reply, wake the waiter if parked. */
    private void deliver(byte[] echoed) {
        reply = echoed;
        Thread waiter = parkedWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
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
