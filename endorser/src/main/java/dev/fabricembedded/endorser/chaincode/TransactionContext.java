package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.Message;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * One execution in progress on one chaincode connection (Fabric's {@code TransactionContext}): the
 * {@link ChaincodeContext} it serves (proposal, simulator, history executor, init flag), the query iterators the
 * chaincode opened, and the chaincode's answer, COMPLETED or ERROR, once it arrives.
 *
 * <p>Threads: created and deleted by the executing thread; its requests are served on the connection's event-loop
 * thread, or on a worker for INVOKE_CHAINCODE; its answer is delivered on the event-loop thread. Every use of the
 * simulator and of the iterators happens under {@link #lock()}, which is the simulator itself when there is one: the
 * contexts of a chaincode and of the chaincodes it calls on the same channel share one simulator, and the lock gives
 * their accesses, made on different threads one after the other, a happens-before order. After {@link #close()} the
 * context serves nothing more.
 *
 * <p>The answer is handed to the executing thread without a lock or a system call on the hot path: exactly one outcome
 * (the chaincode's message or a failure) is accepted, by compare-and-set, and the waiter, which idles with the
 * chaincode support's {@link WaitStrategy} between checks (spin, yield, then park until the deadline), is unparked
 * only if it announced that it parks. A second outcome (an answer after a failure, or the other way round) is
 * ignored. While it may not park yet, the waiter can do useful work between checks: read and serve its own frames
 * ({@link OwnFrameReader}).
 */
final class TransactionContext {

    private static final VarHandle OUTCOME;
    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(TransactionContext.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChaincodeContext context;
    private final Object lock;
    /** The executing thread (the context's creator), the one {@link #await} may park. */
    private final Thread waiter = Thread.currentThread();
    /** A {@link ChaincodeMessage} or a {@link Failure}; set once, by compare-and-set. */
    @SuppressWarnings("unused")
    private volatile Object outcome;
    /** Set by the waiter before it parks, so that {@link #settle} knows to unpark it. */
    private volatile boolean parked;
    /** Guarded by {@link #lock}. */
    private final Map<String, PendingQuery> queries = new HashMap<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    TransactionContext(final ChaincodeContext context) {
        this.context = context;
        this.lock = context.simulator() != null ? context.simulator() : new Object();
    }

    ChaincodeContext context() {
        return context;
    }

    String channelId() {
        return context.channelId();
    }

    String txId() {
        return context.txId();
    }

    /** The lock guarding the simulator and the iterators. */
    Object lock() {
        return lock;
    }

    /** Whether the execution is over (must be called holding {@link #lock()}). */
    boolean isClosed() {
        return closed;
    }

    /** Registers a new query iterator under a fresh id (holding {@link #lock()}). */
    String openQuery(final ResultsIterator<? extends Message> iterator) {
        final String id = UUID.randomUUID().toString();
        queries.put(id, new PendingQuery(iterator));
        return id;
    }

    /** The open query iterator of this id, or null (holding {@link #lock()}). */
    PendingQuery query(final String id) {
        return queries.get(id);
    }

    /** Closes and forgets a query iterator, if open (holding {@link #lock()}). */
    void closeQuery(final String id) {
        final PendingQuery query = queries.remove(id);
        if (query != null) {
            query.close();
        }
    }

    /** Forgets a query iterator that closed itself (holding {@link #lock()}). */
    void forgetQuery(final String id) {
        queries.remove(id);
    }

    /**
     * Delivers the chaincode's COMPLETED or ERROR and closes the query iterators (Fabric's {@code Notify}). Taking
     * the lock orders every request served before the answer before the executing thread's use of the simulator.
     */
    void notify(final ChaincodeMessage message) {
        synchronized (lock) {
            closeQueries();
            settle(message);
        }
    }

    /** Fails the execution: the stream to the chaincode ended. */
    void terminate(final String reason) {
        synchronized (lock) {
            closeQueries();
            settle(new Failure(reason));
        }
    }

    /** Why an execution ended without an answer. */
    private record Failure(String reason) {
    }

    private void settle(final Object value) {
        if (OUTCOME.compareAndSet(this, null, value) && parked) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Waits for the chaincode's answer, at most {@code timeout}. Between checks the waiter idles with
     * {@code strategy}; while the strategy would still spin or yield, it first lets {@code reader} (if any) read and
     * serve this execution's own frames; once the strategy would park, it hands reading over to the event-loop thread
     * and hurries it (the loop reads from then on: the chaincode is busy for a while) and parks until the answer
     * unparks it or the deadline passes, so the timeout is exact whatever the strategy. When the event-loop thread
     * {@code loopWakesOnInput} (a channel with doorbells: the chaincode's next frame wakes it), the waiter stops
     * polling earlier, after the strategy's {@link WaitStrategy#blockAfter()} idle steps, and parks the same way: a long
     * yield phase would only take the cores from the threads doing the work. Must be called by the thread that created the
     * context.
     *
     * @param reader           this execution's reader of its own frames, or null to wait for the event-loop thread only
     * @param loopWakesOnInput whether the channel's event-loop thread is woken by the chaincode's frames
     * @throws ChaincodeException {@code timeout expired while executing transaction}, {@code interrupted while
     *                            executing transaction}, or why the stream ended
     */
    ChaincodeMessage await(final Duration timeout, final WaitStrategy strategy, final OwnFrameReader reader,
            final boolean loopWakesOnInput) throws ChaincodeException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final int blockAfter = loopWakesOnInput ? strategy.blockAfter() : -1;
        int idle = 0;
        Object value;
        while ((value = outcome) == null) {
            if (reader != null && reader.isOpen() && reader.serveNext()) {
                idle = 0;
                continue;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                if ((value = outcome) != null) {
                    break;
                }
                throw new ChaincodeException("timeout expired while executing transaction");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new ChaincodeException("interrupted while executing transaction");
            }
            final boolean block = blockAfter >= 0 ? idle >= blockAfter : strategy.mayPark(idle);
            if (!block) {
                strategy.idle(idle);
            } else {
                if (reader != null) {
                    reader.handOver();
                }
                parked = true;
                if (outcome == null) {
                    LockSupport.parkNanos(this, remaining);
                }
                parked = false;
            }
            if (idle < Integer.MAX_VALUE) {
                idle++;
            }
        }
        if (value instanceof Failure failure) {
            throw new ChaincodeException(failure.reason());
        }
        return (ChaincodeMessage) value;
    }

    /** Ends the context: requests that still arrive find no ledger context. */
    void close() {
        synchronized (lock) {
            closed = true;
            closeQueries();
        }
    }

    private void closeQueries() {
        final List<PendingQuery> open = new ArrayList<>(queries.values());
        queries.clear();
        for (final PendingQuery query : open) {
            try {
                query.close();
            } catch (RuntimeException e) {
                // the simulator may be done already; nothing is left to release then
            }
        }
    }
}
