/**
 * File-level building blocks shared by the block store, the world state and the history index: the
 * one-process-per-directory lock, the dirty-shutdown marker, persisted Chronicle Maps with explicit
 * sizing, recovery and growth, and the redo journal that completes a map's batch a crash interrupted.
 *
 * <p>Nothing here owns a thread. Every type is used by the single thread that opens, commits to and closes
 * its ledger; {@link dev.fabricembedded.ledger.storage.PersistedMap} and
 * {@link dev.fabricembedded.ledger.storage.GenerationalMap} additionally allow concurrent readers, because
 * Chronicle Map entries are guarded by its own segment locks.
 */
package dev.fabricembedded.ledger.storage;
