package dev.fabricembedded.ledger.state;

import com.google.protobuf.ByteString;

import java.util.Iterator;

/**
 * The committed world state of one channel: versioned values by (namespace, key), ordered range scans, and the
 * savepoint (the last block whose writes are applied).
 *
 * <p>Readers must hold the ledger's shared state lock and the writer its exclusive lock (see
 * {@link dev.fabricembedded.ledger.ChannelLedger}): the state then never changes under a reader.
 */
public interface WorldState extends AutoCloseable {

    /** The committed entry, or null if the key is absent. */
    VersionedValue get(StateKey key);

    /** The committed entry of (namespace, key), or null. */
    default VersionedValue get(final String namespace, final String key) {
        return get(StateKey.of(namespace, key));
    }

    /** Only the value (no metadata, no version) of a key: the query executor's fast path. Null if absent. */
    byte[] value(StateKey key);

    /**
     * The value of a key as a read-only view, with its version, or null if absent: {@link #value} without the copy
     * (see {@link ValueView}), for reads that forward the value (the peer answering a chaincode's GET_STATE).
     */
    ValueView view(StateKey key);

    /*
     * The three reads by (namespace, key) Strings below check them as StateKey.checked does; an implementation may
     * answer without encoding the key (the state cache's hits).
     */

    /**
     * {@link #view(StateKey)} of {@link StateKey#checked}{@code (namespace, key)}.
     *
     * @throws IllegalArgumentException if the namespace or key is not valid
     */
    default ValueView view(final String namespace, final String key) {
        return view(StateKey.checked(namespace, key));
    }

    /**
     * Only the value of (namespace, key) as a read-only view, or null if absent: {@link #view(String, String)}
     * without the version, for reads that record none (a query executor's).
     *
     * @throws IllegalArgumentException if the namespace or key is not valid
     */
    default ByteString valueView(final String namespace, final String key) {
        final ValueView view = view(namespace, key);
        return view == null ? null : view.value();
    }

    /**
     * {@link #value(StateKey)} of {@link StateKey#checked}{@code (namespace, key)}.
     *
     * @throws IllegalArgumentException if the namespace or key is not valid
     */
    default byte[] value(final String namespace, final String key) {
        return value(StateKey.checked(namespace, key));
    }

    /** Only the version, for MVCC checks. Null if absent. */
    Height version(StateKey key);

    /** The version and metadata without the value. Null if absent. */
    VersionedMetadata versionedMetadata(StateKey key);

    /**
     * Committed entries of {@code namespace} with keys in [{@code startKey}, {@code endKey}) in UTF-8 byte order;
     * {@code endKey} "" means to the end of the namespace (Fabric's range semantics). An end below the start
     * gives nothing.
     */
    Iterator<VersionedKV> range(String namespace, String startKey, String endKey);

    /** Number of the last block applied, -1 if none. */
    long savepoint();

    /** Live entries. */
    long size();

    /** Entries the state was sized for (its logical capacity). */
    long capacity();

    /** The key, value and metadata limits of this state. */
    StateLimits limits();

    /**
     * Checks, before anything of the block is stored, that applying {@code batch} keeps the state within its
     * capacity (entries and bytes).
     *
     * @throws dev.fabricembedded.ledger.BlockRejectedException with reason {@code CAPACITY_EXCEEDED} if not
     */
    void checkCapacity(UpdateBatch batch, long blockNumber);

    /**
     * Applies a block's coalesced writes (deletes first, then puts) and moves the savepoint to
     * {@code blockNumber}. {@code recovering} says the block is being re-applied from the block store at open;
     * a persisted state completes a block a crash interrupted by itself when it opens (so a re-applied block
     * always meets the state after the block before it), and a cache may use the flag to drop what it holds.
     */
    void apply(UpdateBatch batch, long blockNumber, boolean recovering);

    @Override
    void close();
}
