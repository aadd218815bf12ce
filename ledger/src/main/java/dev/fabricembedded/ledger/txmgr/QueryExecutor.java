package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;

import java.util.List;
import java.util.Map;

/**
 * Read-only access to the committed world state, consistent for the executor's lifetime: it holds the shared
 * state lock from creation until {@link #done()}, so no block commits in between (Fabric's
 * {@code QueryExecutor}). Reads record nothing.
 *
 * <p>Not thread-safe; always call {@link #done()} (or use try-with-resources), or commits wait for ever.
 */
public interface QueryExecutor extends AutoCloseable {

    /**
     * The committed value of a key, or null if it is absent.
     *
     * @throws IllegalArgumentException if the namespace is empty or contains U+0000, or the key is not valid Unicode
     * @throws IllegalStateException    after {@link #done()}
     */
    byte[] getState(String namespace, String key);

    /**
     * The committed value of a key as a read-only {@link ByteString}, or null if it is absent: {@link #getState}
     * without its copy. The view shares the state cache's bytes (never changed in place; a later commit replaces
     * them), so a read that forwards the value into a protobuf message, as the peer answering a chaincode's
     * GET_STATE does, neither copies nor touches the value's bytes. Same checks, and a simulator records the same
     * read, as {@link #getState}.
     *
     * @throws IllegalArgumentException if the namespace is empty or contains U+0000, or the key is not valid Unicode
     * @throws IllegalStateException    after {@link #done()}
     */
    ByteString getStateByteString(String namespace, String key);

    /** The committed metadata of a key (name to value), empty if none or if the key is absent. */
    Map<String, byte[]> getStateMetadata(String namespace, String key);

    /** The committed values of several keys, null entries for absent ones. */
    List<byte[]> getStateMultipleKeys(String namespace, List<String> keys);

    /**
     * Keys of {@code namespace} in [{@code startKey}, {@code endKey}) in UTF-8 byte order, as Fabric's
     * GET_STATE_BY_RANGE: {@code startKey} "" starts at the beginning of the namespace, {@code endKey} "" runs to
     * its end; composite keys ({@code U+0000}-prefixed) sort before simple ones.
     */
    ResultsIterator<KV> getStateRangeScanIterator(String namespace, String startKey, String endKey);

    /**
     * Like {@link #getStateRangeScanIterator} but returning at most {@code pageSize} results (Fabric's paginated
     * range query, {@code pageSize} 0 meaning no limit); the bookmark of the next page comes from
     * {@link QueryResultsIterator#bookmarkAndClose()}. Pass the previous bookmark as {@code startKey}.
     */
    QueryResultsIterator<KV> getStateRangeScanIteratorWithPagination(String namespace, String startKey, String endKey,
                                                                     int pageSize);

    /**
     * Keys of {@code namespace} that are composite keys starting with {@code objectType} and {@code attributes}
     * (the shim's GetStateByPartialCompositeKey: the range [prefix, prefix + U+10FFFF)).
     */
    ResultsIterator<KV> getStateByPartialCompositeKey(String namespace, String objectType, String... attributes);

    /** Releases the shared lock and closes open iterators; idempotent. */
    void done();

    /** Same as {@link #done()}. */
    @Override
    default void close() {
        done();
    }
}
