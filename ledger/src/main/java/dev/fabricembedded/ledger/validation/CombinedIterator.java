package dev.fabricembedded.ledger.validation;

import dev.fabricembedded.ledger.state.Height;
import dev.fabricembedded.ledger.state.KeyOrder;
import dev.fabricembedded.ledger.state.StateKey;
import dev.fabricembedded.ledger.state.UpdateBatch;
import dev.fabricembedded.ledger.state.VersionedKV;
import dev.fabricembedded.ledger.state.WorldState;

import java.util.Iterator;
import java.util.Map;

/**
 * A range over committed state merged with the pending writes of the earlier valid transactions of the block
 * being validated (Fabric's {@code statebasedval.combinedIterator}): what a range query would return if those
 * writes were already committed. Pending writes win over committed entries, pending deletes hide them. With
 * {@code includeEndKey} the end key itself is served last if it exists (the simulation stopped at it without
 * pulling further). Used only during validation, under the exclusive state lock.
 */
final class CombinedIterator {

    /** One result: a key and the version it would have. */
    record Item(String key, Height version) {
    }

    private final String namespace;
    private final String endKey;
    private final boolean includeEndKey;
    private final WorldState state;
    private final UpdateBatch batch;
    private final Iterator<VersionedKV> committed;
    private final Iterator<Map.Entry<StateKey, UpdateBatch.Write>> pending;
    private VersionedKV committedItem;
    private Map.Entry<StateKey, UpdateBatch.Write> pendingItem;
    private String pendingKey;
    private boolean endKeyServed;

    CombinedIterator(final WorldState state, final UpdateBatch batch, final String namespace, final String startKey,
                     final String endKey, final boolean includeEndKey) {
        this.state = state;
        this.batch = batch;
        this.namespace = namespace;
        this.endKey = endKey;
        this.includeEndKey = includeEndKey;
        this.committed = state.range(namespace, startKey, endKey);
        final byte[] from = StateKey.encode(namespace, startKey);
        final byte[] to = endKey.isEmpty() ? StateKey.namespaceEnd(namespace) : StateKey.encode(namespace, endKey);
        this.pending = batch.range(from, to).entrySet().iterator();
        advanceCommitted();
        advancePending();
    }

    private void advanceCommitted() {
        committedItem = committed.hasNext() ? committed.next() : null;
    }

    private void advancePending() {
        pendingItem = pending.hasNext() ? pending.next() : null;
        pendingKey = pendingItem == null ? null : pendingItem.getKey().key();
    }

    /** The next item, or null at the end. */
    Item next() {
        while (committedItem != null || pendingItem != null) {
            final int order = committedItem == null ? 1
                    : pendingItem == null ? -1 : KeyOrder.INSTANCE.compare(committedItem.key(), pendingKey);
            if (order < 0) {
                final Item item = new Item(committedItem.key(), committedItem.value().version());
                advanceCommitted();
                return item;
            }
            final UpdateBatch.Write write = pendingItem.getValue();
            final String key = pendingKey;
            if (order == 0) {
                advanceCommitted();
            }
            advancePending();
            if (!write.isDelete()) {
                return new Item(key, write.version());
            }
        }
        return serveEndKeyIfNeeded();
    }

    private Item serveEndKeyIfNeeded() {
        if (!includeEndKey || endKeyServed) {
            return null;
        }
        endKeyServed = true;
        final StateKey key = StateKey.of(namespace, endKey);
        final UpdateBatch.Write write = batch.get(key);
        if (write != null) {
            return write.isDelete() ? null : new Item(endKey, write.version());
        }
        final Height version = state.version(key);
        return version == null ? null : new Item(endKey, version);
    }
}
