package dev.fabricembedded.shim.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.Lane;
import dev.fabricembedded.shim.PeerRequestException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shim's side of one execution (channel, txid): the single request that may be outstanding, and whether the
 * execution has finished.
 *
 * <p>Threads: created and routed to by the event-loop thread, which owns the handler's map of contexts; the
 * chaincode thread issues requests through {@link #request}. The two meet only in the {@code pending} slot
 * (compare-and-set, no lock). When the execution finishes, the context is handed back to the event loop through a
 * lock-free queue, which removes it from its map; that happens before the result is sent, so a new execution with
 * the same txid (a proposal sent again) never finds a stale context.
 *
 * <p>Waiting for an answer: when the channel lends its inbound queue ({@link HandlerExecutor#tryLeaseInbound()}), the
 * chaincode thread takes the lease before it sends the request and reads the queue itself until its answer is there
 * ({@link AnswerClaim} picks it out; everything else goes on to the event loop in order), so the answer crosses one
 * polling thread in each process instead of also the shim's event loop. Otherwise (another thread holds the lease,
 * the in-JVM channel) the event loop hands the answer over through the {@link PendingResponse}, as it always did.
 */
final class TransactionContext {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionContext.class);
    /** How long a waiter blocked on the event loop's hand-over waits before it looks for its answer itself. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

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
    /** Used only by the chaincode thread, one request at a time; created on the first leased wait. */
    private AnswerClaim answerClaim;
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
        if (channel instanceof Lane lane) {
            try {
                return answerPayload(type, requestOnLane(lane, type, payload));
            } finally {
                PENDING.compareAndSet(this, slot, null);
            }
        }
        final ChaincodeMessage answer;
        // taken before sending, so that the answer cannot be read by the event loop first
        final HandlerExecutor executor = channel instanceof HandlerExecutor e ? e : null;
        InboundLease lease = executor != null ? executor.tryLeaseInbound() : null;
        // with doorbells the event loop is woken by the peer's frame: poll briefly, then block (see awaitThroughLease)
        final int blockAfter = executor != null && executor.wakesOnInput() ? waitStrategy.blockAfter() : -1;
        try {
            channel.send(ChaincodeMessageFactory.request(type, key, payload).toByteArray());
            if (lease != null) {
                awaitThroughLease(lease, slot, blockAfter);
                lease.close();
                lease = null;
            } else {
                hurryEventLoop();
            }
            answer = blockAfter >= 0 ? awaitRechecking(slot, executor, blockAfter) : slot.await(waitStrategy, -1);
        } catch (PendingResponse.RequestFailedException e) {
            throw new PeerRequestException(type, key + " " + type + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerRequestException(type, key + " interrupted while waiting for the answer to " + type, e);
        } finally {
            if (lease != null) {
                lease.close();
            }
            PENDING.compareAndSet(this, slot, null);
        }
        return answerPayload(type, answer);
    }

    /**
     * On a lane the thread that sends the request reads the answer itself: the lane carries this transaction only,
     * and its doorbell wakes this thread when the peer's answer lands (see {@link Lane}).
     */
    private ChaincodeMessage requestOnLane(final Lane lane,
            final ChaincodeMessage.Type type, final ByteString payload) {
        try {
            lane.send(ChaincodeMessageFactory.request(type, key, payload).toByteArray());
            while (true) {
                final byte[] frame = lane.awaitReply(Long.MAX_VALUE);
                if (frame == null) {
                    continue;
                }
                final ChaincodeMessage answer;
                try {
                    answer = ChaincodeMessage.parseFrom(frame);
                } catch (InvalidProtocolBufferException e) {
                    throw new PeerRequestException(type, key + " received a frame that is not a ChaincodeMessage", e);
                }
                if ((answer.getType() == ChaincodeMessage.Type.RESPONSE || answer.getType() == ChaincodeMessage.Type.ERROR)
                        && key.equals(TxKey.of(answer))) {
                    return answer;
                }
                LOG.warn("{} ignored {} for {} on lane {}", key, answer.getType(), TxKey.of(answer), lane.name());
            }
        } catch (ChannelClosedException e) {
            throw new PeerRequestException(type, key + " " + type + " failed: chaincode stream terminated ("
                    + e.getMessage() + ")", e);
        }
    }

    private ByteString answerPayload(final ChaincodeMessage.Type type, final ChaincodeMessage answer) {
        return switch (answer.getType()) {
            case RESPONSE -> answer.getPayload();
            case ERROR -> throw new PeerRequestException(type, answer.getPayload().toStringUtf8());
            default -> throw new PeerRequestException(type, key + " incorrect chaincode message " + answer.getType()
                    + " received. Expecting RESPONSE or ERROR");
        };
    }

    /**
     * Reads the inbound queue through {@code lease} until {@code slot} is settled: by the answer this thread reads and
     * completes itself, or by the event loop (a close fails it). Idles between polls with the channel's wait strategy,
     * whose parks are bounded: this thread is now the reader, and a frame written by another process cannot wake it.
     * When the channel closes, it returns so that the caller gives the lease back and finds the failure that
     * {@code onClose} set. With {@code blockAfter >= 0} (the event loop sleeps on a doorbell that the peer's frames
     * ring) it idles only that many empty polls and returns unsettled: the caller gives the lease back, which makes the
     * sleeping loop the reader again, and blocks until the loop hands the answer over, instead of yielding on and taking
     * the cores from the threads computing the answer.
     */
    private void awaitThroughLease(final InboundLease lease, final PendingResponse slot, final int blockAfter)
            throws InterruptedException {
        if (answerClaim == null) {
            answerClaim = new AnswerClaim(key);
        }
        int idle = 0;
        while (!slot.isSettled()) {
            final byte[] frame;
            try {
                frame = lease.poll(answerClaim);
            } catch (ChannelClosedException closed) {
                return;
            }
            if (frame != null) {
                try {
                    // a second outcome (a close that failed the request meanwhile) wins as when the loop delivers
                    slot.complete(ChaincodeMessage.parseFrom(frame));
                } catch (InvalidProtocolBufferException e) {
                    LOG.warn("{} dropped an answer of {} bytes that is not a ChaincodeMessage: {}", key, frame.length,
                            e.getMessage());
                }
                continue;
            }
            if (blockAfter >= 0 && idle >= blockAfter) {
                return;
            }
            waitStrategy.idle(idle);
            if (waitStrategy.mayPark(idle) && Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (idle < Integer.MAX_VALUE) {
                idle++;
            }
        }
    }

    /**
     * With doorbells: waits for the event loop to hand the answer over, blocked, but looks for it through the lease
     * itself every {@link #RECHECK_NANOS}: a loop busy in a long callback or task (a chaincode's own
     * {@code execute}) hands nothing over until it returns, and before doorbells the waiting thread, which kept the
     * lease, read its answer regardless. A loop asleep on its bell hands it over within microseconds, so the recheck
     * costs one lease and one poll per millisecond of a long wait.
     */
    private ChaincodeMessage awaitRechecking(final PendingResponse slot, final HandlerExecutor executor,
            final int blockAfter) throws PendingResponse.RequestFailedException, InterruptedException {
        ChaincodeMessage answer = slot.await(waitStrategy, blockAfter, RECHECK_NANOS);
        while (answer == null) {
            try (InboundLease lease = executor.tryLeaseInbound()) {
                if (lease != null) {
                    awaitThroughLease(lease, slot, 0); // what has arrived, without idling
                }
            }
            answer = slot.await(waitStrategy, 0, RECHECK_NANOS);
        }
        return answer;
    }

    /**
     * Makes the event-loop thread poll at full speed again ({@link HandlerExecutor#hurry()}), because the peer's next
     * message is for it to read: the answer to a request when this thread could not take the inbound lease, or, once
     * the invocation has sent its result, the peer's next INIT or TRANSACTION. Not needed while this thread reads the
     * answer itself through the inbound lease: between the requests of one invocation the loop may stay parked.
     */
    private void hurryEventLoop() {
        if (channel instanceof HandlerExecutor loop) {
            loop.hurry();
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

    /**
     * Chaincode thread, once, right after the result was sent (or failed to be): the peer's next INIT or TRANSACTION
     * is read by the event loop, so hurry it (see {@link #hurryEventLoop}); the peer needs a while to process the
     * result and send the next one, during which the loop wakes up. After the send, so that the result does not wait
     * for the wake-up's system call.
     */
    void resultSent() {
        hurryEventLoop();
    }
}
