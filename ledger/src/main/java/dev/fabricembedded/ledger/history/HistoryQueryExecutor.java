package dev.fabricembedded.ledger.history;

import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;

/**
 * Answers GET_HISTORY_FOR_KEY (Fabric's {@code HistoryQueryExecutor}): every value a key had, written by valid
 * transactions, with the transaction id, the transaction's timestamp and whether it was a delete.
 *
 * <p>Order: newest first (as Fabric 2.x; Fabric 1.4's LevelDB history returned oldest first). Thread-safe; does
 * not hold the state lock, so it neither blocks nor is blocked by commits.
 */
public interface HistoryQueryExecutor {

    /**
     * The modifications of {@code key} in {@code namespace}, newest first; empty if the key was never written.
     *
     * @throws IllegalArgumentException if the namespace is empty or contains U+0000
     */
    ResultsIterator<KeyModification> getHistoryForKey(String namespace, String key);
}
