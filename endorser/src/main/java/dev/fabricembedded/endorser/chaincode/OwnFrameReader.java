package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameClaim;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ipc.InboundLease;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * The executing thread reading its own transaction's frames from the chaincode's channel while it waits (an ipc
 * {@link InboundLease}), instead of waiting for the event-loop thread to read them and hand the answer over: an
 * endorsement's GET_STATE, PUT_STATE and COMPLETED then cross one thread of this process instead of two.
 *
 * <p>It claims exactly the frames of its own (channel, txid) whose type the event-loop thread would serve itself
 * ({@link #CLAIMED}: COMPLETED, ERROR and the ledger requests) and gives each to {@code serve}, which runs the very
 * code the event-loop thread runs. Everything else (other transactions, INVOKE_CHAINCODE, which waits for another
 * chaincode and belongs on a worker, keepalives, frames that do not parse) goes on to the event-loop thread in queue
 * order. A frame of another transaction read here is parsed twice (here and by the handler); one of this transaction
 * is parsed once.
 *
 * <p>Threads: used only by the executing thread that {@linkplain #take took} it; {@link #close()} gives reading back
 * to the event-loop thread. When the channel closes, the lease is given back at once and the execution learns why
 * from the handler's {@code onClose}, as when it waits the ordinary way.
 */
final class OwnFrameReader implements AutoCloseable {

    /** The frames the executing thread serves itself: those the event-loop thread would serve on its own thread. */
    static final Set<ChaincodeMessage.Type> CLAIMED = EnumSet.of(ChaincodeMessage.Type.COMPLETED,
            ChaincodeMessage.Type.ERROR, ChaincodeMessage.Type.GET_STATE, ChaincodeMessage.Type.PUT_STATE,
            ChaincodeMessage.Type.DEL_STATE, ChaincodeMessage.Type.GET_STATE_BY_RANGE,
            ChaincodeMessage.Type.QUERY_STATE_NEXT, ChaincodeMessage.Type.QUERY_STATE_CLOSE,
            ChaincodeMessage.Type.GET_HISTORY_FOR_KEY, ChaincodeMessage.Type.GET_STATE_METADATA,
            ChaincodeMessage.Type.PUT_STATE_METADATA, ChaincodeMessage.Type.GET_QUERY_RESULT,
            ChaincodeMessage.Type.GET_PRIVATE_DATA_HASH);

    private final HandlerExecutor loop;
    private final InboundLease lease;
    private final String channelId;
    private final String txId;
    private final Consumer<ChaincodeMessage> serve;
    private final FrameClaim claim = this::claims;
    /** The message the last claim accepted, parsed once. */
    private ChaincodeMessage claimed;
    private boolean open = true;

    private OwnFrameReader(final HandlerExecutor loop, final InboundLease lease, final String channelId,
            final String txId, final Consumer<ChaincodeMessage> serve) {
        this.loop = loop;
        this.lease = lease;
        this.channelId = channelId;
        this.txId = txId;
        this.serve = serve;
    }

    /**
     * Takes the channel's inbound lease for the calling thread.
     *
     * @param serve what the event-loop thread does with a claimed message, run on the calling thread instead
     * @return the reader, or null when the channel lends no lease now (in-JVM channel, another thread holds it, the
     *         caller is the event-loop thread, the channel is closing): the caller then waits the ordinary way
     */
    static OwnFrameReader take(final FrameChannel channel, final String channelId, final String txId,
            final Consumer<ChaincodeMessage> serve) {
        if (!(channel instanceof HandlerExecutor executor)) {
            return null;
        }
        final InboundLease lease = executor.tryLeaseInbound();
        return lease == null ? null : new OwnFrameReader(executor, lease, channelId, txId, serve);
    }

    /** Whether this thread still reads (not closed, by the caller or because the channel closed). */
    boolean isOpen() {
        return open;
    }

    /**
     * Reads the next inbound frame, if any, without waiting: serves it if it is this transaction's, forwards it to the
     * event-loop thread otherwise.
     *
     * @return whether a frame of this transaction was served
     */
    boolean serveNext() {
        final byte[] frame;
        try {
            frame = lease.poll(claim);
        } catch (ChannelClosedException e) {
            close();
            return false;
        }
        if (frame == null) {
            return false;
        }
        final ChaincodeMessage message = claimed;
        claimed = null;
        serve.accept(message);
        return true;
    }

    private boolean claims(final byte[] frame) {
        final ChaincodeMessage message;
        try {
            message = ChaincodeMessage.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            return false; // the handler ends the stream, as for any frame it cannot parse
        }
        if (CLAIMED.contains(message.getType()) && txId.equals(message.getTxid())
                && channelId.equals(message.getChannelId())) {
            claimed = message;
            return true;
        }
        return false;
    }

    /**
     * Gives reading back to the event-loop thread while frames of this transaction are still to come (the executing
     * thread is about to park), and hurries it ({@link HandlerExecutor#hurry()}): a returned lease does not wake the
     * loop by itself (it would notice within about a millisecond and then poll only once per park), but the chaincode
     * may answer any moment (with ipc doorbells the hurry does nothing: the returned lease makes the sleeping loop the reader
     * and the chaincode's next frame rings it). Idempotent.
     */
    void handOver() {
        if (open) {
            close();
            loop.hurry();
        }
    }

    /** Gives reading back to the event-loop thread, quietly (nothing more is expected). Idempotent. */
    @Override
    public void close() {
        if (open) {
            open = false;
            lease.close();
        }
    }
}
