/**
 * The world state: versioned values per (namespace, key) in a persisted Chronicle Map
 * ({@link dev.fabricembedded.ledger.state.ChronicleWorldState}), a sorted in-memory key index for range and
 * composite-key scans, the savepoint, the per-block {@link dev.fabricembedded.ledger.state.UpdateBatch}, and the
 * bounded write-through cache of point reads in front of the map
 * ({@link dev.fabricembedded.ledger.state.CachedWorldState}, over the open-addressing {@code StateCacheTable}).
 *
 * <p>Thread ownership: the committing thread is the only writer and writes only while it holds the ledger's
 * exclusive state lock; simulators and query executors read while holding the shared lock. The state therefore
 * never changes under a reader, which is what makes a simulation's recorded versions consistent. The cache is
 * changed by the committer under the same exclusive lock (so it never disagrees with the map while anyone reads)
 * and filled by readers on a miss from the map they read under the shared lock; every change to its table
 * (insertion, eviction, update) is serialized by the table's own lock, which a hit never takes.
 */
package dev.fabricembedded.ledger.state;
