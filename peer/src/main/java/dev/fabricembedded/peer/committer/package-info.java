/**
 * The committer of one channel (Fabric's {@code core/committer}, fabric-1.4-flow.md §5.5 and §6): checks a block
 * received from the orderer, validates its transactions, and commits it to the channel's ledger, which applies MVCC.
 * The outcome, per transaction, is a {@link dev.fabricembedded.peer.committer.CommittedTransaction}.
 *
 * <p>Threads: a block is committed by one thread at a time (the channel's delivery thread); the per-transaction
 * checks of one block run in parallel on the committer's validator pool, which owns no state beyond one block.
 */
package dev.fabricembedded.peer.committer;
