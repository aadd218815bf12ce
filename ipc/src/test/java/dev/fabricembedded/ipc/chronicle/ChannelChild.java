package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The other process of the two-process tests, started by {@link ChildJvm}. Reports on stdout, one line per
 * event, which the test reads.
 *
 * <ul>
 *   <li>{@code echo <dir> <name> <busySpin|spinYieldPark> <livenessMillis> [keepaliveMillis]}: attaches (keepalives
 *       every 100 ms unless given), sends every frame back,
 *       prints {@code CLOSED <kind>} and exits 0 when the channel closes;</li>
 *   <li>{@code create-and-send <dir> <name> <count>}: creates the channel, sends {@code count} frames marked
 *       "old", prints {@code SENT} and waits to be killed.</li>
 * </ul>
 */
public final class ChannelChild {

    private ChannelChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo(Path.of(args[1]), args[2], args[3], Long.parseLong(args[4]),
                    args.length > 5 ? Long.parseLong(args[5]) : 100);
            case "create-and-send" -> createAndSend(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void echo(Path dir, String name, String strategy, long livenessMillis, long keepaliveMillis)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        FrameHandler echo = new FrameHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                channel.send(frame);
            }

            @Override
            public void onClose(FrameChannel channel, CloseReason reason) {
                System.out.println("CLOSED " + reason.kind());
                System.out.flush();
                closed.countDown();
            }
        };
        ChronicleChannel channel = ChronicleChannel.builder(dir).name(name)
                .waitStrategy("busySpin".equals(strategy) ? WaitStrategy.busySpin() : WaitStrategy.spinYieldPark())
                .keepaliveInterval(Duration.ofMillis(keepaliveMillis))
                .livenessTimeout(Duration.ofMillis(livenessMillis))
                .watchProcess(ProcessHandle.current().parent().orElseThrow())
                .attach(echo);
        System.out.println("ATTACHED");
        System.out.flush();
        closed.await();
        channel.close();
        System.exit(0);
    }

    private static void createAndSend(Path dir, String name, int count) throws InterruptedException {
        ChronicleChannel channel = ChronicleChannel.builder(dir).name(name).create((c, f) -> { });
        for (int i = 0; i < count; i++) {
            byte[] frame = new byte[8];
            ByteBuffer.wrap(frame).putInt(-1).putInt(i);
            channel.send(frame);
        }
        System.out.println("SENT");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
