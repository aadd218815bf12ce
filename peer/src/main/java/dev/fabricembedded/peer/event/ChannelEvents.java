package dev.fabricembedded.peer.event;

import dev.fabricembedded.peer.committer.CommittedBlock;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The events of one channel: block listeners, chaincode event listeners and transaction commit statuses (Fabric's
 * block and filtered-block deliver service and the SDK's transaction listeners, for an embedded host).
 *
 * <p>{@link #publish(CommittedBlock)} is called by the channel's delivery thread right after each block is committed
 * (so a listener sees the ledger at least at that block), and delivers, in this order: the commit statuses of the
 * block's transactions, the block to every block listener, then each valid transaction's chaincode event to the
 * listeners of its chaincode. Everything runs on that delivery thread: a slow listener delays the commit of the next
 * block, so listeners should hand long work to their own executor. A listener that throws is logged and skipped; the
 * channel goes on. Futures returned by {@link #commitStatus} complete on the delivery thread too, and so do their
 * synchronous dependents ({@code thenApply}...): use the {@code ...Async} variants for long work.
 *
 * <p>Thread-safe: listeners may be registered and removed from any thread, including from a listener.
 */
public final class ChannelEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelEvents.class);

    private final String channelId;
    private final Function<String, Optional<CommitStatus>> committed;
    private final List<Consumer<CommittedBlock>> blockListeners = new CopyOnWriteArrayList<>();
    private final List<ChaincodeListener> chaincodeListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Set<CompletableFuture<CommitStatus>>> pending = new ConcurrentHashMap<>();
    private volatile Throwable closedBy;

    /**
     * Events of {@code channelId}; {@code committed} looks up a transaction already in the ledger (so that a status
     * asked for after the commit completes at once).
     */
    public ChannelEvents(final String channelId, final Function<String, Optional<CommitStatus>> committed) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.committed = Objects.requireNonNull(committed, "committed");
    }

    /** Calls {@code listener} with every block committed from now on. */
    public Registration onBlock(final Consumer<CommittedBlock> listener) {
        Objects.requireNonNull(listener, "listener");
        final Consumer<CommittedBlock> wrapper = listener::accept; // a distinct object per registration
        blockListeners.add(wrapper);
        return () -> blockListeners.remove(wrapper);
    }

    /** Calls {@code listener} with the chaincode event of every valid transaction of {@code chaincodeName}. */
    public Registration onChaincodeEvent(final String chaincodeName, final Consumer<ChaincodeEventRecord> listener) {
        final ChaincodeListener registration = new ChaincodeListener(Objects.requireNonNull(chaincodeName,
                "chaincodeName"), Objects.requireNonNull(listener, "listener"));
        chaincodeListeners.add(registration);
        return () -> chaincodeListeners.remove(registration);
    }

    /**
     * The commit status of a transaction: completes when a block holding it is committed, at once if it already is.
     * Cancelling the returned future (e.g. after a timeout) forgets it. After the channel closed or failed, the
     * future completes exceptionally with an {@link IllegalStateException} saying why.
     */
    public CompletableFuture<CommitStatus> commitStatus(final String txId) {
        Objects.requireNonNull(txId, "txId");
        final CompletableFuture<CommitStatus> future = new CompletableFuture<>();
        // registered before the ledger lookup: a commit published in between completes it, none is missed
        pending.compute(txId, (id, set) -> {
            final Set<CompletableFuture<CommitStatus>> futures = set != null ? set : ConcurrentHashMap.newKeySet();
            futures.add(future);
            return futures;
        });
        future.whenComplete((status, failure) -> forget(txId, future));
        final Throwable reason = closedBy;
        if (reason != null) {
            future.completeExceptionally(closed(reason));
            return future;
        }
        try {
            committed.apply(txId).ifPresent(future::complete);
        } catch (RuntimeException e) {
            LOG.warn("[{}] looking up transaction {} in the ledger failed; waiting for its commit: {}", channelId,
                    txId, e.toString());
        }
        return future;
    }

    private void forget(final String txId, final CompletableFuture<CommitStatus> future) {
        pending.computeIfPresent(txId, (id, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }

    /** Delivers a committed block's events (the channel's delivery thread calls it after each commit). */
    public void publish(final CommittedBlock block) {
        final long number = block.number();
        if (!pending.isEmpty()) {
            for (final CommittedTransaction transaction : block.transactions()) {
                final Set<CompletableFuture<CommitStatus>> futures = pending.remove(transaction.txId());
                if (futures != null) {
                    final CommitStatus status = new CommitStatus(number, transaction);
                    futures.forEach(f -> f.complete(status));
                }
            }
        }
        for (final Consumer<CommittedBlock> listener : blockListeners) {
            try {
                listener.accept(block);
            } catch (RuntimeException e) {
                LOG.warn("[{}] a block listener failed on block {}; it stays registered", channelId, number, e);
            }
        }
        if (chaincodeListeners.isEmpty()) {
            return;
        }
        for (final CommittedTransaction transaction : block.transactions()) {
            if (transaction.chaincodeEvent().isEmpty()) {
                continue;
            }
            final ChaincodeEventRecord record = new ChaincodeEventRecord(number, transaction.txId(),
                    transaction.chaincodeEvent().get());
            for (final ChaincodeListener listener : chaincodeListeners) {
                if (listener.chaincodeName().equals(record.chaincodeName())) {
                    try {
                        listener.listener().accept(record);
                    } catch (RuntimeException e) {
                        LOG.warn("[{}] a chaincode event listener of {} failed on transaction {}; it stays "
                                + "registered", channelId, listener.chaincodeName(), transaction.txId(), e);
                    }
                }
            }
        }
    }

    /**
     * Ends the events: pending commit statuses complete exceptionally with {@code reason}, listeners are dropped,
     * later {@link #commitStatus} calls fail at once. Idempotent (the first reason is kept).
     */
    public void close(final String reason) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = new IllegalStateException(reason);
        }
        blockListeners.clear();
        chaincodeListeners.clear();
        for (final String txId : List.copyOf(pending.keySet())) {
            final Set<CompletableFuture<CommitStatus>> futures = pending.remove(txId);
            if (futures != null) {
                futures.forEach(f -> f.completeExceptionally(closed(closedBy)));
            }
        }
    }

    private IllegalStateException closed(final Throwable reason) {
        return new IllegalStateException("channel " + channelId + ": " + reason.getMessage(), reason);
    }

    private record ChaincodeListener(String chaincodeName, Consumer<ChaincodeEventRecord> listener) {
        @Override
        public boolean equals(final Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
