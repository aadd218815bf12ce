package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.Message;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 */
final class TransactionContext {

    private final ChaincodeContext context;
    private final Object lock;
    private final CompletableFuture<ChaincodeMessage> response = new CompletableFuture<>();
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
            response.complete(message);
        }
    }

    /** Fails the execution: the stream to the chaincode ended. */
    void terminate(final String reason) {
        synchronized (lock) {
            closeQueries();
            response.completeExceptionally(new ChaincodeException(reason));
        }
    }

    /**
     * Waits for the chaincode's answer.
     *
     * @throws ChaincodeException {@code timeout expired while executing transaction}, or why the stream ended
     */
    ChaincodeMessage await(final Duration timeout) throws ChaincodeException {
        try {
            return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ChaincodeException("timeout expired while executing transaction");
        } catch (ExecutionException e) {
            throw new ChaincodeException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaincodeException("interrupted while executing transaction");
        }
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
