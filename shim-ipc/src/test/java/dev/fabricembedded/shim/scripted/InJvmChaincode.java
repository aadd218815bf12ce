package dev.fabricembedded.shim.scripted;

import dev.fabricembedded.ipc.injvm.ChannelPair;
import dev.fabricembedded.ipc.injvm.InJvmChannels;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.impl.ChaincodeConnection;
import dev.fabricembedded.shim.impl.ShimState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A chaincode (its {@link ChaincodeConnection}) and a {@link ScriptedPeer} joined by an in-JVM channel pair, closed
 * together: the chaincode's worker threads, the shim state machine and the peer protocol all run for real, without
 * files or a second process.
 */
public final class InJvmChaincode implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final String CHAINCODE_ID = "mycc:1.0";

    public final ScriptedPeer peer;
    public final ChaincodeConnection connection;
    private ChannelPair pair;

    private InJvmChaincode(final ScriptedPeer peer, final Chaincode chaincode,
            final UnaryOperator<ChaincodeConnection.Builder> settings) {
        this.peer = peer;
        this.connection = settings.apply(ChaincodeConnection.builder(chaincode, CHAINCODE_ID)).open(handler -> {
            pair = InJvmChannels.pair(CHAINCODE_ID, peer, handler);
            peer.bind(pair.first());
            return pair.second();
        });
    }

    /** Connected and past REGISTERED/READY. */
    public static InJvmChaincode ready(final Chaincode chaincode) throws Exception {
        return ready(chaincode, UnaryOperator.identity());
    }

    public static InJvmChaincode ready(final Chaincode chaincode, final UnaryOperator<ChaincodeConnection.Builder> settings)
            throws Exception {
        final InJvmChaincode shim = new InJvmChaincode(ScriptedPeer.standard(), chaincode, settings);
        shim.peer.registered().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitTrue(() -> shim.connection.state() == ShimState.READY, "state READY");
        return shim;
    }

    /** Connected, REGISTER sent, nothing answered: the test drives the peer side. */
    public static InJvmChaincode manual(final Chaincode chaincode) throws Exception {
        final InJvmChaincode shim = new InJvmChaincode(ScriptedPeer.manual(), chaincode, UnaryOperator.identity());
        shim.peer.registered().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return shim;
    }

    /** The peer's end of the channel. */
    public dev.fabricembedded.ipc.FrameChannel peerEnd() {
        return pair.first();
    }

    public static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + TIMEOUT + ": " + what);
            }
            Thread.sleep(1);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            pair.close();
        }
    }
}
