package dev.fabricembedded.jmh.ipc;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The echoing process of the round-trip benchmark (the "chaincode"), started by {@link EchoChild}. It stops
 * when its stdin closes, so it never outlives the benchmark fork.
 *
 * <ul>
 *   <li>{@code chronicle <dir> <busySpin|yielding|spinYieldPark>}: attaches to the channel, echoes every frame from its
 *       event-loop thread, prints {@code READY};</li>
 *   <li>{@code raw <dir>}: the other half of {@link RawQueuePingPong}, one spinning thread;</li>
 *   <li>{@code grpc}: serves {@link GrpcEcho} on a loopback port (direct executor), prints {@code READY <port>}.</li>
 * </ul>
 */
public final class EchoProcess {

    private EchoProcess() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Thread stdinWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent on stdin; end of stream means the parent is gone or done
                }
            } catch (IOException e) {
                // treated as end of stream
            }
            stop.countDown();
        }, "echo-stdin-watch");
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        if ("raw".equals(args[0])) {
            try (RawQueuePingPong raw = new RawQueuePingPong(Path.of(args[1]), false)) {
                System.out.println("READY");
                System.out.flush();
                byte[] message = new byte[100];
                while (raw.read(message, () -> stop.getCount() > 0)) {
                    raw.write(message);
                }
            }
        } else if ("grpc".equals(args[0])) {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .directExecutor()
                    .addService(GrpcEcho.service())
                    .build()
                    .start();
            System.out.println("READY " + server.getPort());
            System.out.flush();
            stop.await();
            server.shutdownNow().awaitTermination();
        } else {
            WaitStrategy strategy = IpcRoundTripBenchmark.strategy(args[2]);
            ChronicleChannel channel = ChronicleChannel.builder(Path.of(args[1])).name("bench-echo")
                    .waitStrategy(strategy)
                    .attach(new FrameHandler() {
                        @Override
                        public void onFrame(FrameChannel c, byte[] frame) {
                            c.send(frame);
                        }

                        @Override
                        public void onClose(FrameChannel c, CloseReason reason) {
                            stop.countDown();
                        }
                    });
            System.out.println("READY");
            System.out.flush();
            stop.await();
            channel.close();
        }
        System.exit(0);
    }
}
