package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * The peer-side handler of the runtime tests: a {@link ScriptedPeer} (REGISTER answered with REGISTERED then READY,
 * INIT/TRANSACTION sent by the test, PUT_STATE and friends answered with RESPONSE until COMPLETED) that also tells
 * when the handshake is over, so that a test sends INIT only after READY, as a peer does.
 */
final class ReadyPeer implements FrameHandler {

    private final ScriptedPeer peer = ScriptedPeer.standard();
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    ScriptedPeer peer() {
        return peer;
    }

    /** Binds the peer's sending end and waits (bounded) until REGISTERED and READY were sent; returns the id. */
    String awaitReady(final FrameChannel channel, final long timeoutSeconds) throws Exception {
        peer.bind(channel);
        return ready.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void onFrame(final FrameChannel channel, final byte[] frame) {
        peer.onFrame(channel, frame);
        final CompletableFuture<String> registered = peer.registered();
        if (registered.isDone() && !ready.isDone()) {
            // ScriptedPeer answers REGISTER inside onFrame: REGISTERED and READY are on their way
            ready.complete(registered.join());
        }
    }

    @Override
    public void onClose(final FrameChannel channel, final CloseReason reason) {
        peer.onClose(channel, reason);
    }

    /** Sends INIT or TRANSACTION and returns the shim's answer. */
    CompletableFuture<ChaincodeMessage> execute(final ChaincodeMessage.Type type, final String txId,
            final String... args) {
        return peer.execute(type, "ch", txId, args);
    }
}
