package dev.fabricembedded.jmh.shim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.GetState;

/**
 * The peer side of {@link ShimGetStateBenchmark}, run in its own JVM: it creates two Chronicle channels under the
 * directory given as first argument, with the wait strategy named by the second, {@code peer} (a scripted peer: REGISTERED, READY, one TRANSACTION, then GET_STATE
 * answered from an in-memory map) and {@code echo} (every frame sent back, for the raw round-trip baseline),
 * prints {@value #READY_LINE} on stdout, and exits when both channels have closed or its parent is gone.
 */
public final class ScriptedPeerProcess {

    /** Printed once both channels exist. */
    public static final String READY_LINE = "CHANNELS-CREATED";
    /** Chaincode id of the benchmark chaincode. */
    public static final String CHAINCODE_ID = "bench:1.0";
    /** The key the benchmark reads, and its value. */
    public static final String KEY = "asset-42";
    static final String VALUE = "{\"owner\":\"tom\",\"appraisedValue\":300}";

    private ScriptedPeerProcess() {
    }

    /** The named wait strategy: {@code spinYieldPark}, {@code yielding} or {@code busySpin}. */
    static WaitStrategy strategy(final String name) {
        return switch (name) {
            case "spinYieldPark" -> WaitStrategy.spinYieldPark();
            case "yielding" -> WaitStrategy.yielding();
            case "busySpin" -> WaitStrategy.busySpin();
            default -> throw new IllegalArgumentException("unknown wait strategy " + name);
        };
    }

    public static void main(final String[] args) throws InterruptedException {
        final Path base = Path.of(args[0]);
        final WaitStrategy strategy = strategy(args[1]);
        final CountDownLatch closed = new CountDownLatch(2);
        final ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        try (ChronicleChannel peer = ChronicleChannel.builder(base.resolve("peer")).name(CHAINCODE_ID)
                     .waitStrategy(strategy).watchProcess(parent).create(new PeerFromMemory(closed));
             ChronicleChannel echo = ChronicleChannel.builder(base.resolve("echo")).name("echo")
                     .waitStrategy(strategy).watchProcess(parent).create(new Echo(closed))) {
            System.out.println(READY_LINE + " " + peer.name() + " " + echo.name());
            System.out.flush();
            closed.await();
        }
    }

    /** Answers the chaincode protocol from memory; owned by its channel's event-loop thread. */
    private static final class PeerFromMemory implements FrameHandler {
        private final Map<String, ByteString> state = new HashMap<>();
        private final CountDownLatch closed;

        PeerFromMemory(final CountDownLatch closed) {
            this.closed = closed;
            state.put(KEY, ByteString.copyFromUtf8(VALUE));
        }

        @Override
        public void onFrame(final FrameChannel channel, final byte[] frame) {
            final ChaincodeMessage message;
            try {
                message = ChaincodeMessage.parseFrom(frame);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("not a ChaincodeMessage", e);
            }
            switch (message.getType()) {
                case REGISTER -> {
                    channel.send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED).build()
                            .toByteArray());
                    channel.send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY).build()
                            .toByteArray());
                    channel.send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.TRANSACTION)
                            .setChannelId("mychannel").setTxid("bench-tx")
                            .setPayload(ChaincodeInput.newBuilder().addArgs(ByteString.copyFromUtf8("hold")).build()
                                    .toByteString())
                            .build().toByteArray());
                }
                case GET_STATE -> {
                    final String key;
                    try {
                        key = GetState.parseFrom(message.getPayload()).getKey();
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException("not a GetState", e);
                    }
                    channel.send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.RESPONSE)
                            .setChannelId(message.getChannelId()).setTxid(message.getTxid())
                            .setPayload(state.getOrDefault(key, ByteString.EMPTY)).build().toByteArray());
                }
                default -> {
                }
            }
        }

        @Override
        public void onClose(final FrameChannel channel, final CloseReason reason) {
            closed.countDown();
        }
    }

    /** Sends every frame back. */
    private static final class Echo implements FrameHandler {
        private final CountDownLatch closed;

        Echo(final CountDownLatch closed) {
            this.closed = closed;
        }

        @Override
        public void onFrame(final FrameChannel channel, final byte[] frame) {
            channel.send(frame);
        }

        @Override
        public void onClose(final FrameChannel channel, final CloseReason reason) {
            closed.countDown();
        }
    }
}
