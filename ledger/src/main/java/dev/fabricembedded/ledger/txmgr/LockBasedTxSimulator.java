package dev.fabricembedded.ledger.txmgr;

import dev.fabricembedded.ledger.state.StateLimits;
import dev.fabricembedded.ledger.state.StateMetadata;
import dev.fabricembedded.ledger.state.WorldState;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;

import java.util.Map;

/**
 * The {@link TxSimulator} over a {@link WorldState} (Fabric's {@code lockBasedTxSimulator}): reads through a
 * recording {@link QueryHelper}, writes into an {@link RwSetBuilder}, the shared state lock held until
 * {@link #done()}. Created by the ledger; one owner at a time.
 */
public final class LockBasedTxSimulator extends LockBasedQueryExecutor implements TxSimulator {
    private final String txId;
    private final StateLimits limits;
    private final RwSetBuilder rwset;
    private boolean writePerformed;
    private boolean paginatedQueryPerformed;
    private boolean resultsComputed;

    /** @param hold the shared state lock hold this simulator releases at {@link #done()} */
    public LockBasedTxSimulator(final String txId, final WorldState state, final StateLock.Hold hold) {
        this(txId, state, hold, new RwSetBuilder());
    }

    private LockBasedTxSimulator(final String txId, final WorldState state, final StateLock.Hold hold,
                                 final RwSetBuilder rwset) {
        super(state, hold, rwset);
        this.txId = txId;
        this.limits = state.limits();
        this.rwset = rwset;
    }

    @Override
    public String txId() {
        return txId;
    }

    @Override
    public QueryResultsIterator<KV> getStateRangeScanIteratorWithPagination(final String namespace,
                                                                            final String startKey,
                                                                            final String endKey, final int pageSize) {
        helper.checkDone();
        if (writePerformed) {
            throw new IllegalStateException("txid [" + txId
                    + "]: Paginated queries are supported only in a read-only transaction");
        }
        paginatedQueryPerformed = true;
        return helper.rangeScan(namespace, startKey, endKey, pageSize);
    }

    @Override
    public void setState(final String namespace, final String key, final byte[] value) {
        checkWritePrecondition(namespace, key, value == null ? 0 : value.length, 0);
        rwset.addWrite(namespace, key, value);
    }

    @Override
    public void deleteState(final String namespace, final String key) {
        setState(namespace, key, null);
    }

    @Override
    public void setStateMetadata(final String namespace, final String key, final Map<String, byte[]> metadata) {
        final Map<String, byte[]> entries = metadata == null ? Map.of() : metadata;
        checkWritePrecondition(namespace, key, 0, StateMetadata.serialize(StateMetadata.entries(entries)).length);
        rwset.addMetadataWrite(namespace, key, entries);
    }

    @Override
    public void deleteStateMetadata(final String namespace, final String key) {
        setStateMetadata(namespace, key, null);
    }

    private void checkWritePrecondition(final String namespace, final String key, final int valueSize,
                                        final int metadataSize) {
        helper.checkDone();
        if (paginatedQueryPerformed) {
            throw new IllegalStateException("txid [" + txId
                    + "]: Transaction has already performed a paginated query. Writes are not allowed");
        }
        writePerformed = true;
        final String keyProblem = KeyRules.writeKeyProblem(key);
        if (keyProblem != null) {
            throw new IllegalArgumentException(keyProblem);
        }
        final String sizeProblem = limits.writeProblem(namespace, key, valueSize, metadataSize);
        if (sizeProblem != null) {
            throw new IllegalArgumentException(sizeProblem);
        }
    }

    @Override
    public TxReadWriteSet getTxSimulationResults() {
        if (resultsComputed) {
            throw new IllegalStateException("this function should only be called once on a transaction simulator"
                    + " instance");
        }
        resultsComputed = true;
        helper.addRangeQueryInfo();
        return rwset.build();
    }
}
