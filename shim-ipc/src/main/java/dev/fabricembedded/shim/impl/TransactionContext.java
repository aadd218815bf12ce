package dev.fabricembedded.shim.impl;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.shim.PeerRequestException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * The shim's side of one execution (channel, txid): the single request that may be outstanding, and whether the
 * execution has finished.
 *
 * <p>Threads: created and routed to by the event-loop thread, which owns the handler's map of contexts; the
 * chaincode thread issues requests through {@link #request}. The two meet only in the {@code pending} slot
 * (compare-and-set, no lock). When the execution finishes, the context is handed back to the event loop through a
 * lock-free queue, which removes it from its map; that happens before the result is sent, so a new execution with
 * the same txid (a proposal sent again) never finds a stale context.
 */
final class TransactionContext {

    private static final VarHandle PENDING;
    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(TransactionContext.class, "pending", PendingResponse.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TxKey key;
    private final FrameChannel channel;
    private final WaitStrategy waitStrategy;
    private final Queue<TransactionContext> finishedQueue;
    @SuppressWarnings("unused")
    private volatile PendingResponse pending;
    private volatile boolean finished;

    TransactionContext(final TxKey key, final FrameChannel channel, final WaitStrategy waitStrategy,
            final Queue<TransactionContext> finishedQueue) {
        this.key = key;
        this.channel = channel;
        this.waitStrategy = waitStrategy;
        this.finishedQueue = finishedQueue;
    }

    TxKey key() {
        return key;
    }

    /**
     * Sends a request for this transaction and waits for the peer's answer.
     *
     * @return the payload of the peer's {@code RESPONSE}
     * @throws PeerRequestException  if the peer answers {@code ERROR}, or the channel closes while waiting
     * @throws IllegalStateException if another request of this transaction is outstanding, or it has finished
     */
    ByteString request(final ChaincodeMessage.Type type, final ByteString payload) {
        if (finished) {
            throw new IllegalStateException(key + " " + type + " after the transaction completed: a stub must not be"
                    + " used once its invocation has returned");
        }
        final PendingResponse slot = new PendingResponse(Thread.currentThread());
        if (!PENDING.compareAndSet(this, null, slot)) {
            throw new IllegalStateException(key + " " + type + " while another request of the same transaction is"
                    + " outstanding: the peer allows one request at a time per transaction");
        }
        final ChaincodeMessage answer;
        try {
            channel.send(ChaincodeMessageFactory.request(type, key, payload).toByteArray());
            expectAnswer();
            answer = slot.await(waitStrategy);
        } catch (PendingResponse.RequestFailedException e) {
            throw new PeerRequestException(type, key + " " + type + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerRequestException(type, key + " interrupted while waiting for the answer to " + type, e);
        } finally {
            PENDING.compareAndSet(this, slot, null);
        }
        return switch (answer.getType()) {
            case RESPONSE -> answer.getPayload();
            case ERROR -> throw new PeerRequestException(type, answer.getPayload().toStringUtf8());
            default -> throw new PeerRequestException(type, key + " incorrect chaincode message " + answer.getType()
                    + " received. Expecting RESPONSE or ERROR");
        };
    }

    /** An empty task: running it is what counts (see {@link #expectAnswer}). */
    private static final Runnable POLL_AGAIN = () -> { };

    /**
     * Makes the event-loop thread, which will deliver the answer, poll at full speed again. While the chaincode
     * worked (or its worker thread waited to be scheduled) the loop idled with its wait strategy, possibly down to a
     * park that the peer's answer, written by another process, cannot cut short; a task from this process can: its
     * publication unparks the loop, and a loop that did work starts its idle sequence again (spin, then yield for
     * ~200 µs). Costs one ring publication per request, and a system call only when the loop was parked.
     */
    private void expectAnswer() {
        if (channel instanceof HandlerExecutor loop) {
            try {
                loop.execute(POLL_AGAIN);
            } catch (RejectedExecutionException e) {
                // closing: the waiting request is failed by the close
            }
        }
    }

    /**
     * Event loop: hands the peer's RESPONSE or ERROR to the waiting request.
     *
     * @return {@code false} if no request is waiting (the message is unexpected)
     */
    boolean deliver(final ChaincodeMessage answer) {
        final PendingResponse slot = pending;
        return slot != null && slot.complete(answer);
    }

    /** Event loop: fails the waiting request, if any, because the channel closed. */
    void abort(final String reason) {
        final PendingResponse slot = pending;
        if (slot != null) {
            slot.fail(reason);
        }
    }

    /** Chaincode thread, once, before the result is sent: no more requests; hand the context back. */
    void finish() {
        finished = true;
        finishedQueue.offer(this);
    }
}
