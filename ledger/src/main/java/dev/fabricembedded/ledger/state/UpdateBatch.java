package dev.fabricembedded.ledger.state;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state changes of one block, coalesced per key: after the block's valid transactions are applied in order,
 * each touched key holds its final value (or a delete) and the version of the last transaction that wrote it.
 *
 * <p>Coalescing makes the state commit write each key once, so a commit interrupted by a crash leaves every key
 * either untouched or final; recovery re-applies the block and skips the keys already carrying its versions.
 * Keys are ordered like the store, so the MVCC phantom check can merge a range of pending writes with a range of
 * committed state. Owned by the committing thread.
 */
public final class UpdateBatch {

    /**
     * The final change to one key.
     *
     * @param value    the new value, or null for a delete
     * @param metadata the serialized metadata to store with the value (empty if none)
     * @param version  the (block, tx) of the last transaction that wrote the key
     */
    public record Write(byte[] value, byte[] metadata, Height version) {
        public boolean isDelete() {
            return value == null;
        }
    }

    private final TreeMap<StateKey, Write> writes = new TreeMap<>();

    public void put(final StateKey key, final byte[] value, final byte[] metadata, final Height version) {
        writes.put(key, new Write(value, metadata, version));
    }

    public void delete(final StateKey key, final Height version) {
        writes.put(key, new Write(null, null, version));
    }

    /** The pending change to {@code key}, or null. */
    public Write get(final StateKey key) {
        return writes.get(key);
    }

    public boolean contains(final StateKey key) {
        return writes.containsKey(key);
    }

    /** Pending changes with encoded keys in [{@code from}, {@code to}) ({@code to} null: unbounded). */
    public NavigableMap<StateKey, Write> range(final byte[] from, final byte[] to) {
        final StateKey start = StateKey.fromBytes(from);
        if (to == null) {
            return writes.tailMap(start, true);
        }
        final StateKey end = StateKey.fromBytes(to);
        return start.compareTo(end) >= 0 ? Collections.emptyNavigableMap() : writes.subMap(start, true, end, false);
    }

    /** All pending changes, in key order. */
    public NavigableMap<StateKey, Write> writes() {
        return Collections.unmodifiableNavigableMap(writes);
    }

    public int size() {
        return writes.size();
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }
}
