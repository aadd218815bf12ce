package dev.fabricembedded.shim.impl;

import dev.fabricembedded.ipc.injvm.ChannelPair;
import dev.fabricembedded.ipc.injvm.InJvmChannels;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A chaincode connection and a scripted peer joined by an in-JVM channel pair, closed together.
 */
final class InJvmShim implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String CHAINCODE_ID = "mycc:1.0";

    final ScriptedPeer peer;
    final ChaincodeConnection connection;
    private ChannelPair pair;

    private InJvmShim(final ScriptedPeer peer, final Chaincode chaincode,
            final UnaryOperator<ChaincodeConnection.Builder> settings) {
        this.peer = peer;
        this.connection = settings.apply(ChaincodeConnection.builder(chaincode, CHAINCODE_ID)).open(handler -> {
            pair = InJvmChannels.pair(CHAINCODE_ID, peer, handler);
            peer.bind(pair.first());
            return pair.second();
        });
    }

    /** Connected and past REGISTERED/READY. */
    static InJvmShim ready(final Chaincode chaincode) throws Exception {
        return ready(chaincode, UnaryOperator.identity());
    }

    static InJvmShim ready(final Chaincode chaincode, final UnaryOperator<ChaincodeConnection.Builder> settings)
            throws Exception {
        final InJvmShim shim = new InJvmShim(ScriptedPeer.standard(), chaincode, settings);
        shim.peer.registered().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        awaitTrue(() -> shim.connection.state() == ShimState.READY, "state READY");
        return shim;
    }

    /** Connected, REGISTER sent, nothing answered: the test drives the peer side. */
    static InJvmShim manual(final Chaincode chaincode) throws Exception {
        final InJvmShim shim = new InJvmShim(ScriptedPeer.manual(), chaincode, UnaryOperator.identity());
        shim.peer.registered().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return shim;
    }

    /** The peer's end of the channel. */
    dev.fabricembedded.ipc.FrameChannel peerEnd() {
        return pair.first();
    }

    static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException {
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
