package dev.fabricembedded.ledger.validation;

import dev.fabricembedded.ledger.state.Height;
import dev.fabricembedded.ledger.state.KeyWrite;
import dev.fabricembedded.ledger.state.StateKey;
import dev.fabricembedded.ledger.state.StateLimits;
import dev.fabricembedded.ledger.state.StateMetadata;
import dev.fabricembedded.ledger.state.UpdateBatch;
import dev.fabricembedded.ledger.state.VersionedMetadata;
import dev.fabricembedded.ledger.state.VersionedValue;
import dev.fabricembedded.ledger.state.WorldState;
import dev.fabricembedded.ledger.txmgr.RangeQueryResultsHelper;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The ledger's part of block validation (fabric-1.4-flow.md §6.8, Fabric's {@code statebasedval.Validator} and
 * {@code txops_preparation}), run in block order:
 * <ol>
 *   <li>transactions already marked invalid are skipped and keep their code; a missing flag or
 *   {@code NOT_VALIDATED} means "valid so far";</li>
 *   <li>unreadable transactions get the code {@link TransactionParser} assigned;</li>
 *   <li>an endorser transaction whose id is already in the index, or already used by an earlier valid
 *   transaction of the block → {@code DUPLICATE_TXID};</li>
 *   <li>a write the state cannot store (limits) → {@code INVALID_WRITESET};</li>
 *   <li>a read whose key an earlier valid transaction of the block wrote, or whose committed version differs
 *   → {@code MVCC_READ_CONFLICT};</li>
 *   <li>a range query whose re-run over committed state plus the block's pending writes gives other keys or
 *   versions (raw reads or Merkle summary) → {@code PHANTOM_READ_CONFLICT};</li>
 *   <li>otherwise {@code VALID}, and its writes join the block's batch at version (block, tx): a value-only
 *   write keeps the key's latest metadata, a metadata-only write keeps its latest value and is dropped if the
 *   key does not exist, a delete removes both.</li>
 * </ol>
 * In recovery mode (blocks re-applied from the block store) the stored flags are trusted and only step 7 runs.
 * Runs on the committing thread under the exclusive state lock.
 */
public final class MvccValidator {
    private final WorldState state;
    private final StateLimits limits;

    public MvccValidator(final WorldState state) {
        this.state = state;
        this.limits = state.limits();
    }

    /**
     * Validates a block.
     *
     * @param blockNumber  the block's number (the version of its writes)
     * @param transactions the parsed transactions, in block order
     * @param initialFlags the block's TRANSACTIONS_FILTER as received (may be shorter than the block)
     * @param txIdIndexed  tells whether a transaction id is already committed
     * @param recovering   trust {@code initialFlags} (they are the stored final flags) and skip all checks
     */
    public BlockValidation validate(final long blockNumber, final List<ParsedTransaction> transactions,
                                    final byte[] initialFlags, final Predicate<String> txIdIndexed,
                                    final boolean recovering) {
        final byte[] flags = new byte[transactions.size()];
        final UpdateBatch batch = new UpdateBatch();
        final List<KeyWrite> keyWrites = new ArrayList<>();
        final Set<String> blockTxIds = new HashSet<>();
        final Committed committed = new Committed();
        for (ParsedTransaction tx : transactions) {
            final int i = tx.index();
            final int initial = i < initialFlags.length ? initialFlags[i] & 0xFF : TxValidationCode.NOT_VALIDATED_VALUE;
            final TxValidationCode code;
            if (recovering) {
                code = initial == TxValidationCode.VALID_VALUE && tx.parseFailure() == null
                        ? TxValidationCode.VALID : null;
            } else if (initial != TxValidationCode.VALID_VALUE && initial != TxValidationCode.NOT_VALIDATED_VALUE) {
                code = null; // already invalid: keep its code
            } else {
                code = check(tx, batch, committed, blockTxIds, txIdIndexed);
            }
            if (code == null) {
                flags[i] = (byte) initial;
                continue;
            }
            flags[i] = (byte) code.getNumber();
            if (code == TxValidationCode.VALID && tx.isEndorserTransaction()) {
                apply(tx, new Height(blockNumber, i), batch, committed, keyWrites);
            }
        }
        return new BlockValidation(flags, batch, keyWrites);
    }

    /**
     * Committed versions and metadata looked up during one block's validation; the committed state cannot change
     * while the block is validated, and a key is typically read and then written, so each is looked up once.
     */
    private final class Committed {
        private static final VersionedMetadata ABSENT = new VersionedMetadata(null, null);
        private final Map<StateKey, VersionedMetadata> entries = new HashMap<>();

        VersionedMetadata get(final StateKey key) {
            VersionedMetadata entry = entries.get(key);
            if (entry == null) {
                final VersionedMetadata found = state.versionedMetadata(key);
                entry = found == null ? ABSENT : found;
                entries.put(key, entry);
            }
            return entry;
        }
    }

    private TxValidationCode check(final ParsedTransaction tx, final UpdateBatch batch, final Committed committed,
                                   final Set<String> blockTxIds, final Predicate<String> txIdIndexed) {
        if (tx.parseFailure() != null) {
            return tx.parseFailure();
        }
        if (!tx.isEndorserTransaction()) {
            return TxValidationCode.VALID;
        }
        if (!tx.txId().isEmpty()) {
            if (blockTxIds.contains(tx.txId()) || txIdIndexed.test(tx.txId())) {
                return TxValidationCode.DUPLICATE_TXID;
            }
            blockTxIds.add(tx.txId());
        }
        for (NamespaceRwSet ns : tx.rwsets()) {
            if (!storable(ns)) {
                return TxValidationCode.INVALID_WRITESET;
            }
        }
        for (NamespaceRwSet ns : tx.rwsets()) {
            for (KVRead read : ns.rwset().getReadsList()) {
                if (!readValid(ns.namespace(), read, batch, committed)) {
                    return TxValidationCode.MVCC_READ_CONFLICT;
                }
            }
            for (RangeQueryInfo range : ns.rwset().getRangeQueriesInfoList()) {
                if (!rangeValid(ns.namespace(), range, batch)) {
                    return TxValidationCode.PHANTOM_READ_CONFLICT;
                }
            }
        }
        return TxValidationCode.VALID;
    }

    private boolean storable(final NamespaceRwSet ns) {
        final KVRWSet rwset = ns.rwset();
        if (StateLimits.namespaceProblem(ns.namespace()) != null) {
            return false;
        }
        for (KVWrite write : rwset.getWritesList()) {
            if (limits.writeProblem(ns.namespace(), write.getKey(), write.getValue().size(), 0) != null) {
                return false;
            }
        }
        for (KVMetadataWrite write : rwset.getMetadataWritesList()) {
            final int size = StateMetadata.serialize(write.getEntriesList()).length;
            if (limits.writeProblem(ns.namespace(), write.getKey(), 0, size) != null) {
                return false;
            }
        }
        return true;
    }

    private boolean readValid(final String namespace, final KVRead read, final UpdateBatch batch,
                              final Committed committed) {
        final StateKey key = StateKey.of(namespace, read.getKey());
        if (batch.contains(key)) {
            return false;
        }
        final Height version = committed.get(key).version();
        final Height expected = Height.fromProto(read.hasVersion(), read.getVersion());
        return version == null ? expected == null : version.equals(expected);
    }

    private boolean rangeValid(final String namespace, final RangeQueryInfo info, final UpdateBatch batch) {
        final CombinedIterator results = new CombinedIterator(state, batch, namespace, info.getStartKey(),
                info.getEndKey(), !info.getItrExhausted());
        if (info.hasReadsMerkleHashes()) {
            final QueryReadsMerkleSummary expected = info.getReadsMerkleHashes();
            final RangeQueryResultsHelper helper = new RangeQueryResultsHelper(true, expected.getMaxDegree());
            for (CombinedIterator.Item item = results.next(); item != null; item = results.next()) {
                helper.addResult(KVRead.newBuilder().setKey(item.key()).setVersion(item.version().toProto()).build());
            }
            final QueryReadsMerkleSummary actual = helper.done().summary();
            return actual != null && actual.getMaxDegree() == expected.getMaxDegree()
                    && actual.getMaxLevel() == expected.getMaxLevel()
                    && actual.getMaxLevelHashesList().equals(expected.getMaxLevelHashesList());
        }
        for (KVRead read : info.getRawReads().getKvReadsList()) {
            final CombinedIterator.Item item = results.next();
            if (item == null || !item.key().equals(read.getKey())
                    || !item.version().equals(Height.fromProto(read.hasVersion(), read.getVersion()))) {
                return false;
            }
        }
        return results.next() == null;
    }

    /** Adds a valid transaction's writes to the batch (Fabric's {@code prepareTxOps} merge rules). */
    private void apply(final ParsedTransaction tx, final Height version, final UpdateBatch batch,
                       final Committed committed, final List<KeyWrite> keyWrites) {
        for (NamespaceRwSet ns : tx.rwsets()) {
            final Map<String, KVWrite> writes = new LinkedHashMap<>();
            for (KVWrite write : ns.rwset().getWritesList()) {
                writes.put(write.getKey(), write);
            }
            final Map<String, KVMetadataWrite> metadataWrites = new LinkedHashMap<>();
            for (KVMetadataWrite write : ns.rwset().getMetadataWritesList()) {
                metadataWrites.put(write.getKey(), write);
            }
            for (KVWrite write : writes.values()) {
                final StateKey key = StateKey.of(ns.namespace(), write.getKey());
                keyWrites.add(new KeyWrite(key, version));
                final KVMetadataWrite metadataWrite = metadataWrites.remove(write.getKey());
                if (write.getIsDelete() || write.getValue().isEmpty()) {
                    batch.delete(key, version);
                } else {
                    final byte[] metadata = metadataWrite != null
                            ? StateMetadata.serialize(metadataWrite.getEntriesList())
                            : latestMetadata(key, batch, committed);
                    batch.put(key, write.getValue().toByteArray(), metadata, version);
                }
            }
            for (KVMetadataWrite metadataWrite : metadataWrites.values()) {
                final StateKey key = StateKey.of(ns.namespace(), metadataWrite.getKey());
                final byte[] value = latestValue(key, batch);
                if (value != null) {
                    batch.put(key, value, StateMetadata.serialize(metadataWrite.getEntriesList()), version);
                }
            }
        }
    }

    private static byte[] latestMetadata(final StateKey key, final UpdateBatch batch, final Committed committed) {
        final UpdateBatch.Write pending = batch.get(key);
        if (pending != null) {
            return pending.isDelete() ? null : pending.metadata();
        }
        return committed.get(key).metadata();
    }

    private byte[] latestValue(final StateKey key, final UpdateBatch batch) {
        final UpdateBatch.Write pending = batch.get(key);
        if (pending != null) {
            return pending.isDelete() ? null : pending.value();
        }
        final VersionedValue committed = state.get(key);
        return committed == null ? null : committed.value();
    }
}
