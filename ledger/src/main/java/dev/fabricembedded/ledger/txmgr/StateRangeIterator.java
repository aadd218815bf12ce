package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.UnsafeByteOperations;
import dev.fabricembedded.ledger.state.VersionedKV;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;

import java.util.Iterator;

/**
 * A range scan over committed state returning {@code queryresult.KV}s (what the peer's GET_STATE_BY_RANGE
 * handler sends back), optionally limited to a page and optionally recording the scan into a read-write set.
 * Valid while its simulator or query executor holds the state lock; closed by it at {@code done()}.
 */
final class StateRangeIterator implements QueryResultsIterator<KV> {
    private final String namespace;
    private final Iterator<VersionedKV> scan;
    private final int limit;
    private final RangeQueryRecorder recorder;
    private int returned;
    private boolean closed;

    /**
     * @param limit    most results to return, 0 for no limit
     * @param recorder where a simulator records the scan, or null
     */
    StateRangeIterator(final String namespace, final Iterator<VersionedKV> scan, final int limit,
                       final RangeQueryRecorder recorder) {
        this.namespace = namespace;
        this.scan = scan;
        this.limit = limit;
        this.recorder = recorder;
    }

    @Override
    public KV next() {
        if (closed) {
            throw new IllegalStateException("the range query iterator is closed");
        }
        final VersionedKV result = (limit > 0 && returned >= limit) || !scan.hasNext() ? null : scan.next();
        if (recorder != null) {
            if (result == null) {
                recorder.exhausted();
            } else {
                recorder.result(result.key(), result.value().version());
            }
        }
        if (result == null) {
            return null;
        }
        returned++;
        // the value array was decoded for this result alone, so it can be wrapped without a copy
        return KV.newBuilder().setNamespace(namespace).setKey(result.key())
                .setValue(UnsafeByteOperations.unsafeWrap(result.value().value())).build();
    }

    @Override
    public String bookmarkAndClose() {
        if (closed) {
            throw new IllegalStateException("the range query iterator is closed");
        }
        final String bookmark = scan.hasNext() ? scan.next().key() : "";
        close();
        return bookmark;
    }

    @Override
    public void close() {
        closed = true;
    }
}
