/**
 * The committer of one channel (Fabric's {@code core/committer}, fabric-1.4-flow.md §5.5 and §6): checks a block
 * received from the orderer, validates its transactions, and commits it to the channel's ledger, which applies MVCC.
 * The outcome, per transaction, is a {@link dev.fabricembedded.peer.committer.CommittedTransaction}.
 *
 * <ul>
 *   <li>{@link dev.fabricembedded.peer.committer.BlockCommitter}: the pipeline (block checks, validation, commit);</li>
 *   <li>{@link dev.fabricembedded.peer.committer.TxValidator}: Fabric's {@code TxValidator}, the parallel
 *   per-transaction checks and the block passes, producing a
 *   {@link dev.fabricembedded.peer.committer.ValidatedBlock};</li>
 *   <li>{@code EnvelopeValidator} (§6.2) and {@code VsccValidator} (§6.3): the checks of one transaction, run by the
 *   validator workers, which also hand over their parse in the ledger's terms ({@code CheckedTransaction}) so that
 *   the ledger's preparation of the block does not parse it again;</li>
 *   <li>{@link dev.fabricembedded.peer.committer.SystemChaincodeProvider}: which names are system chaincodes.</li>
 * </ul>
 *
 * <p>Threads: a block is committed by one thread at a time (the channel's delivery thread), which owns the block in
 * progress and runs the block passes and the ledger commit; the per-transaction checks of one block run in parallel
 * on the committer's validator pool ({@code committer-<channel>-validator-<n>}), whose workers only read immutable
 * or thread-safe state and write their own result slots; consecutive blocks queue on the pool one behind the other
 * (at most {@code validationLookahead + 1} in flight), so the workers go from one block to the next without waiting,
 * also while a block waits for its sync. The pool is stopped by
 * {@link dev.fabricembedded.peer.committer.BlockCommitter#close()}.
 */
package dev.fabricembedded.peer.committer;
