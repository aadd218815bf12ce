package dev.fabricembedded.ledger.txmgr;

import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;

import java.util.Map;

/**
 * Simulates one transaction (one proposal, keyed by its txid) against the committed state and builds its
 * read-write set (Fabric's {@code TxSimulator}, fabric-1.4-flow.md §1.4).
 *
 * <p>Rules, as Fabric: no read-your-writes (reads always return the committed value); every read records the
 * committed version (or none for an absent key); range scans record a {@code RangeQueryInfo}; writes and
 * deletes are buffered, a repeated write keeps the last value, an empty value is a delete; writes are refused
 * after a paginated query and paginated queries after a write. The shared state lock is held from creation
 * until {@link #done()}, so the committed state cannot change under the simulation.
 *
 * <p>Not thread-safe, but may move between threads. Always call {@link #done()} (try-with-resources).
 */
public interface TxSimulator extends QueryExecutor {

    /** The transaction id this simulator was created for. */
    String txId();

    /**
     * Buffers a write; a null or empty value is a delete (Fabric treats an empty value on the wire as a delete).
     *
     * @throws IllegalArgumentException for an empty key, a malformed composite key, a key that is not valid
     *                                  Unicode, or a key or value above the ledger's limits
     * @throws IllegalStateException    after {@link #done()} or after a paginated query
     */
    void setState(String namespace, String key, byte[] value);

    /** Buffers a delete. */
    void deleteState(String namespace, String key);

    /**
     * Buffers a metadata write (e.g. a key-level endorsement policy); an empty map deletes the key's metadata.
     * Applied at commit only if the key exists then (Fabric's rule).
     */
    void setStateMetadata(String namespace, String key, Map<String, byte[]> metadata);

    /** Buffers a metadata delete. */
    void deleteStateMetadata(String namespace, String key);

    /**
     * The simulation's read-write set: namespaces, reads, writes and metadata writes sorted by key (UTF-8 byte
     * order), range queries in the order they were opened. May be called once, before or after {@link #done()}.
     *
     * @throws IllegalStateException on a second call
     */
    TxReadWriteSet getTxSimulationResults();
}
