/**
 * The world state: versioned values per (namespace, key) in a persisted Chronicle Map
 * ({@link dev.fabricembedded.ledger.state.ChronicleWorldState}), a sorted in-memory key index for range and
 * composite-key scans, the savepoint, and the per-block {@link dev.fabricembedded.ledger.state.UpdateBatch}.
 *
 * <p>Thread ownership: the committing thread is the only writer and writes only while it holds the ledger's
 * exclusive state lock; simulators and query executors read while holding the shared lock. The state therefore
 * never changes under a reader, which is what makes a simulation's recorded versions consistent.
 */
package dev.fabricembedded.ledger.state;
