package dev.fabricembedded.ledger.txmgr;

import dev.fabricembedded.ledger.state.Height;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

/**
 * Records one simulated range scan as Fabric's {@code resultsItr} does: the end key follows the last key
 * returned (the caller may never ask again), and only when the scan is pulled past its end is
 * {@code itr_exhausted} set and the end key restored to the one requested. Owned by one iterator.
 */
final class RangeQueryRecorder {
    private final String namespace;
    private final String requestedEndKey;
    private final RangeQueryInfo.Builder info;
    private final RangeQueryResultsHelper results =
            new RangeQueryResultsHelper(true, RangeQueryResultsHelper.DEFAULT_MAX_DEGREE);

    RangeQueryRecorder(final String namespace, final String startKey, final String endKey) {
        this.namespace = namespace;
        this.requestedEndKey = endKey;
        this.info = RangeQueryInfo.newBuilder().setStartKey(startKey);
    }

    String namespace() {
        return namespace;
    }

    void result(final String key, final Height version) {
        final KVRead.Builder read = KVRead.newBuilder().setKey(key);
        if (version != null) {
            read.setVersion(version.toProto());
        }
        results.addResult(read.build());
        info.setEndKey(key);
    }

    void exhausted() {
        info.setItrExhausted(true);
        info.setEndKey(requestedEndKey);
    }

    /** The finished {@code RangeQueryInfo}; call once. */
    RangeQueryInfo build() {
        final RangeQueryResultsHelper.Result result = results.done();
        if (!result.rawReads().isEmpty()) {
            info.setRawReads(QueryReads.newBuilder().addAllKvReads(result.rawReads()));
        }
        if (result.summary() != null) {
            info.setReadsMerkleHashes(result.summary());
        }
        return info.build();
    }
}
