package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.state.WorldState;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;

import java.util.List;
import java.util.Map;

/**
 * The {@link QueryExecutor} over a {@link WorldState}, holding the shared state lock until {@link #done()}.
 * Created by the ledger; one owner at a time. {@link LockBasedTxSimulator} builds on it, as Fabric's
 * {@code lockBasedTxSimulator} embeds its {@code queryExecutor}: the reads are the same, only recorded.
 */
public class LockBasedQueryExecutor implements QueryExecutor {
    /** Reads (recording them when the simulator gave a read-write set), scans and the lock hold. */
    final QueryHelper helper;

    /** @param hold the shared state lock hold this executor releases at {@link #done()} */
    public LockBasedQueryExecutor(final WorldState state, final StateLock.Hold hold) {
        this(state, hold, null);
    }

    /** @param rwset where reads are recorded, or {@code null} for a plain query executor */
    LockBasedQueryExecutor(final WorldState state, final StateLock.Hold hold, final RwSetBuilder rwset) {
        this.helper = new QueryHelper(state, hold, rwset);
    }

    @Override
    public byte[] getState(final String namespace, final String key) {
        return helper.getState(namespace, key);
    }

    @Override
    public ByteString getStateByteString(final String namespace, final String key) {
        return helper.getStateByteString(namespace, key);
    }

    @Override
    public Map<String, byte[]> getStateMetadata(final String namespace, final String key) {
        return helper.getStateMetadata(namespace, key);
    }

    @Override
    public List<byte[]> getStateMultipleKeys(final String namespace, final List<String> keys) {
        return helper.getStateMultipleKeys(namespace, keys);
    }

    @Override
    public ResultsIterator<KV> getStateRangeScanIterator(final String namespace, final String startKey,
                                                         final String endKey) {
        return helper.rangeScan(namespace, startKey, endKey, 0);
    }

    @Override
    public QueryResultsIterator<KV> getStateRangeScanIteratorWithPagination(final String namespace,
                                                                            final String startKey,
                                                                            final String endKey, final int pageSize) {
        return helper.rangeScan(namespace, startKey, endKey, pageSize);
    }

    @Override
    public ResultsIterator<KV> getStateByPartialCompositeKey(final String namespace, final String objectType,
                                                             final String... attributes) {
        final String start = CompositeKey.create(objectType, attributes);
        return helper.rangeScan(namespace, start, CompositeKey.rangeEnd(start), 0);
    }

    @Override
    public void done() {
        helper.done();
    }
}
