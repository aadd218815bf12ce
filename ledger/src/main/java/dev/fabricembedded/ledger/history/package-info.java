/**
 * The history of keys (Fabric's history database): for every key, the chain of valid transactions that wrote
 * it, newest first, answered by {@link dev.fabricembedded.ledger.history.HistoryQueryExecutor} from the index in
 * {@link dev.fabricembedded.ledger.history.HistoryIndex} and the transactions in the block store.
 *
 * <p>Thread ownership: the committing thread appends; query threads read concurrently. A query sees the
 * history as of the moment it read the key's newest entry; older entries never change.
 */
package dev.fabricembedded.ledger.history;
