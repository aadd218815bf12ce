package dev.fabricembedded.shim.impl;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.shim.Chaincode;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaincode-side state machine of Fabric's chaincode protocol, fed by the channel's event loop.
 *
 * <table>
 * <caption>Transitions (Fabric's Java shim)</caption>
 * <tr><th>State</th><th>Message</th><th>Action</th></tr>
 * <tr><td>any</td><td>KEEPALIVE</td><td>ignored</td></tr>
 * <tr><td>CREATED</td><td>REGISTERED</td><td>→ ESTABLISHED</td></tr>
 * <tr><td>ESTABLISHED</td><td>READY</td><td>→ READY</td></tr>
 * <tr><td>READY</td><td>INIT, TRANSACTION</td><td>run the chaincode on a worker; a full pool is answered with
 * {@code ERROR "Failed to submit task for processing"}</td></tr>
 * <tr><td>READY</td><td>RESPONSE, ERROR</td><td>hand over to the request waiting for (channel, txid)</td></tr>
 * <tr><td>any</td><td>anything else</td><td>warning, state unchanged (the Go shim would stop instead)</td></tr>
 * </table>
 *
 * <p>Threads: {@link #onFrame} and {@link #onClose} run on the channel's single event-loop thread, which alone
 * writes the state and owns the map of running transactions; no lock is taken on this path. Workers give finished
 * transactions back through a lock-free queue that the event loop drains on every frame. {@link #state()} and the
 * counters may be read from any thread.
 */
final class ShimHandler implements FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ShimHandler.class);

    private final String chaincodeId;
    private final Chaincode chaincode;
    private final Executor workers;
    private final WaitStrategy waitStrategy;
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

    /** Event loop only. */
    private final Map<TxKey, TransactionContext> running = new HashMap<>();
    /** Workers offer, the event loop polls. */
    private final Queue<TransactionContext> finished = new ConcurrentLinkedQueue<>();

    /** Written by the event loop only (and once before REGISTER is sent); volatile for observers. */
    private final boolean completeFailedInvokes;
    private volatile ShimState state = ShimState.CREATED;
    private volatile long unexpectedMessages;

    ShimHandler(final String chaincodeId, final Chaincode chaincode, final Executor workers,
            final WaitStrategy waitStrategy) {
        this(chaincodeId, chaincode, workers, waitStrategy, false);
    }

    ShimHandler(final String chaincodeId, final Chaincode chaincode, final Executor workers,
            final WaitStrategy waitStrategy, final boolean completeFailedInvokes) {
        this.chaincodeId = chaincodeId;
        this.chaincode = chaincode;
        this.workers = workers;
        this.waitStrategy = waitStrategy;
        this.completeFailedInvokes = completeFailedInvokes;
    }

    /** Sends REGISTER with {@code ChaincodeID{name: "name:version"}}; the state is CREATED from now on. */
    void register(final FrameChannel channel) {
        LOG.info("registering chaincode {} on channel {}", chaincodeId, channel.name());
        channel.send(ChaincodeMessageFactory.register(chaincodeId).toByteArray());
    }

    ShimState state() {
        return state;
    }

    /** Messages that were logged and dropped because the state did not accept them. */
    long unexpectedMessages() {
        return unexpectedMessages;
    }

    /** Completes with the reason once the channel closes. */
    CompletableFuture<CloseReason> closed() {
        return closed;
    }

    @Override
    public void onFrame(final FrameChannel channel, final byte[] frame) {
        reapFinished();
        final ChaincodeMessage message;
        try {
            message = ChaincodeMessage.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            unexpected("a frame of " + frame.length + " bytes that is not a ChaincodeMessage: " + e.getMessage());
            return;
        }
        final ChaincodeMessage.Type type = message.getType();
        if (type == ChaincodeMessage.Type.KEEPALIVE) {
            return;
        }
        switch (state) {
            case CREATED -> {
                if (type == ChaincodeMessage.Type.REGISTERED) {
                    state = ShimState.ESTABLISHED;
                    LOG.debug("{} received REGISTERED: established", chaincodeId);
                } else {
                    unexpected(message);
                }
            }
            case ESTABLISHED -> {
                if (type == ChaincodeMessage.Type.READY) {
                    state = ShimState.READY;
                    LOG.info("chaincode {} is ready", chaincodeId);
                } else {
                    unexpected(message);
                }
            }
            case READY -> {
                switch (type) {
                    case RESPONSE, ERROR -> deliver(message);
                    case INIT, TRANSACTION -> execute(channel, message);
                    default -> unexpected(message);
                }
            }
            case CLOSED -> unexpected(message);
        }
    }

    private void deliver(final ChaincodeMessage answer) {
        final TransactionContext context = running.get(TxKey.of(answer));
        if (context == null || !context.deliver(answer)) {
            unexpected(answer.getType() + " for " + TxKey.of(answer) + " with no request waiting for it");
        }
    }

    private void execute(final FrameChannel channel, final ChaincodeMessage message) {
        final TxKey key = TxKey.of(message);
        if (running.containsKey(key)) {
            // The peer never starts two executions of one (channel, txid); drop it like the peer drops a
            // second concurrent request of a transaction, so the running one keeps its routing.
            unexpected(message.getType() + " for " + key + " while that transaction is already executing");
            return;
        }
        final TransactionContext context = new TransactionContext(key, channel, waitStrategy, finished);
        running.put(key, context);
        try {
            workers.execute(new ChaincodeInvocation(message, context, chaincode, channel, completeFailedInvokes));
        } catch (RejectedExecutionException e) {
            running.remove(key);
            LOG.warn("{} failed to submit {} for processing: {}", key, message.getType(), e.toString());
            try {
                channel.send(ChaincodeMessageFactory.error(key, "Failed to submit task for processing", null)
                        .toByteArray());
            } catch (ChannelClosedException closedMeanwhile) {
                LOG.warn("{} rejection not sent: {}", key, closedMeanwhile.getMessage());
            }
        }
    }

    private void reapFinished() {
        TransactionContext done;
        while ((done = finished.poll()) != null) {
            running.remove(done.key(), done);
        }
    }

    private void unexpected(final ChaincodeMessage message) {
        unexpected(message.getType() + " " + TxKey.of(message) + " cannot be handled in state " + state);
    }

    private void unexpected(final String what) {
        unexpectedMessages++;
        LOG.warn("chaincode {}: received {}; ignored", chaincodeId, what);
    }

    @Override
    public void onClose(final FrameChannel channel, final CloseReason reason) {
        state = ShimState.CLOSED;
        reapFinished();
        final String text = "chaincode stream terminated (" + reason + ")";
        running.values().forEach(context -> context.abort(text));
        running.clear();
        LOG.info("chaincode {}: channel {} closed: {}", chaincodeId, channel.name(), reason);
        closed.complete(reason);
    }
}
