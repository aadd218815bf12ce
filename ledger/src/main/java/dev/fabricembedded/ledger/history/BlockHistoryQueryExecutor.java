package dev.fabricembedded.ledger.history;

import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.block.BlockReader;
import dev.fabricembedded.ledger.state.StateKey;
import dev.fabricembedded.ledger.state.StateLimits;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import dev.fabricembedded.ledger.validation.NamespaceRwSet;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.ledger.validation.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * The {@link HistoryQueryExecutor} over a {@link HistoryIndex} and the block store: walks the key's records
 * newest first and reads each value, delete flag, transaction id and timestamp from the committed transaction
 * (as Fabric's history scanner reads them from the block). Thread-safe; iterators are not.
 */
public final class BlockHistoryQueryExecutor implements HistoryQueryExecutor {
    private final HistoryIndex index;
    private final BlockReader blocks;

    public BlockHistoryQueryExecutor(final HistoryIndex index, final BlockReader blocks) {
        this.index = index;
        this.blocks = blocks;
    }

    @Override
    public ResultsIterator<KeyModification> getHistoryForKey(final String namespace, final String key) {
        final String problem = StateLimits.namespaceProblem(namespace);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new HistoryIterator(namespace, key, index.newest(StateKey.of(namespace, key)));
    }

    private final class HistoryIterator implements ResultsIterator<KeyModification> {
        private final String namespace;
        private final String key;
        private long next;
        private Block block;
        private boolean closed;

        HistoryIterator(final String namespace, final String key, final long newest) {
            this.namespace = namespace;
            this.key = key;
            this.next = newest;
        }

        @Override
        public KeyModification next() {
            if (closed) {
                throw new IllegalStateException("the history iterator is closed");
            }
            if (next < 0) {
                return null;
            }
            final HistoryIndex.Record record = index.read(next);
            next = record.previous();
            final long number = record.version().blockNum();
            if (block == null || block.getHeader().getNumber() != number) {
                block = blocks.blockByNumber(number).orElseThrow(() -> new LedgerException(
                        "history of " + namespace + ":" + key + " refers to block " + number + " which is not stored"));
            }
            final int tx = (int) record.version().txNum();
            final ParsedTransaction parsed = TransactionParser.parse(tx, block.getData().getData(tx));
            for (NamespaceRwSet ns : parsed.rwsets()) {
                if (ns.namespace().equals(namespace)) {
                    for (KVWrite write : ns.rwset().getWritesList()) {
                        if (write.getKey().equals(key)) {
                            final boolean delete = write.getIsDelete() || write.getValue().isEmpty();
                            return KeyModification.newBuilder().setTxId(parsed.txId())
                                    .setValue(write.getValue())
                                    .setTimestamp(parsed.timestamp()).setIsDelete(delete).build();
                        }
                    }
                }
            }
            throw new LedgerException("history of " + namespace + ":" + key + " refers to transaction " + tx
                    + " of block " + number + " which does not write it");
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
