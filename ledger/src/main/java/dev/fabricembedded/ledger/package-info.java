/**
 * The persistent channel ledger (Fabric's {@code kvledger}): {@link dev.fabricembedded.ledger.ChannelLedger} ties
 * the block store, the world state, the history index and transaction simulation together, commits validated
 * blocks (MVCC, duplicate transaction ids, final flags) and recovers after crashes. A
 * {@link dev.fabricembedded.ledger.PreparedBlock} carries the state-independent part of a commit (data hash, parse),
 * done on any thread before the serial commit.
 *
 * <p>Thread ownership: one thread commits (the peer's committer); endorsement threads create simulators and
 * query executors concurrently; query threads read blocks and history. Commits and simulations are kept apart by
 * the shared/exclusive {@link dev.fabricembedded.ledger.txmgr.StateLock}. The ledger starts no threads.
 */
package dev.fabricembedded.ledger;
