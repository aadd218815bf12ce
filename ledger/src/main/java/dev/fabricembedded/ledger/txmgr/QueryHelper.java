package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.state.StateKey;
import dev.fabricembedded.ledger.state.StateMetadata;
import dev.fabricembedded.ledger.state.ValueView;
import dev.fabricembedded.ledger.state.VersionedValue;
import dev.fabricembedded.ledger.state.WorldState;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The reads shared by the simulator and the query executor (Fabric's {@code queryHelper}): state lookups with
 * optional recording into a read-write set, range iterators, and {@code done()}. Owned by one simulator or
 * query executor.
 */
final class QueryHelper {
    private final WorldState state;
    private final StateLock.Hold hold;
    private final RwSetBuilder rwset;
    private final List<StateRangeIterator> iterators = new ArrayList<>();
    private final List<RangeQueryRecorder> recorders = new ArrayList<>();
    private boolean done;

    /** @param rwset the simulator's builder, or null for a query executor (reads are not recorded) */
    QueryHelper(final WorldState state, final StateLock.Hold hold, final RwSetBuilder rwset) {
        this.state = state;
        this.hold = hold;
        this.rwset = rwset;
    }

    byte[] getState(final String namespace, final String key) {
        checkDone();
        if (rwset == null) {
            return state.value(namespace, key);
        }
        final VersionedValue value = state.get(StateKey.checked(namespace, key));
        rwset.addRead(namespace, key, value == null ? null : value.version());
        return value == null ? null : value.value();
    }

    ByteString getStateByteString(final String namespace, final String key) {
        checkDone();
        if (rwset == null) {
            return state.valueView(namespace, key);
        }
        final ValueView view = state.view(namespace, key);
        rwset.addRead(namespace, key, view == null ? null : view.version());
        return view == null ? null : view.value();
    }

    Map<String, byte[]> getStateMetadata(final String namespace, final String key) {
        checkDone();
        final VersionedValue value = state.get(StateKey.checked(namespace, key));
        if (rwset != null) {
            rwset.addRead(namespace, key, value == null ? null : value.version());
        }
        return value == null ? Collections.emptyMap() : StateMetadata.deserialize(value.metadata());
    }

    List<byte[]> getStateMultipleKeys(final String namespace, final List<String> keys) {
        final List<byte[]> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(getState(namespace, key));
        }
        return values;
    }

    StateRangeIterator rangeScan(final String namespace, final String startKey, final String endKey,
                                 final int limit) {
        checkDone();
        StateKey.encodeChecked(namespace, startKey);
        StateKey.encodeChecked(namespace, endKey);
        if (limit < 0) {
            throw new IllegalArgumentException("page size must not be negative, was " + limit);
        }
        RangeQueryRecorder recorder = null;
        if (rwset != null) {
            recorder = new RangeQueryRecorder(namespace, startKey, endKey);
            recorders.add(recorder);
        }
        final StateRangeIterator iterator =
                new StateRangeIterator(namespace, state.range(namespace, startKey, endKey), limit, recorder);
        iterators.add(iterator);
        return iterator;
    }

    /** Adds the range queries recorded so far to the read-write set (Fabric's {@code addRangeQueryInfo}). */
    void addRangeQueryInfo() {
        for (RangeQueryRecorder recorder : recorders) {
            rwset.addRangeQuery(recorder.namespace(), recorder.build());
        }
    }

    void checkDone() {
        if (done) {
            throw new IllegalStateException("this instance should not be used after calling Done()");
        }
    }

    void done() {
        if (done) {
            return;
        }
        done = true;
        for (StateRangeIterator iterator : iterators) {
            iterator.close();
        }
        hold.release();
    }
}
