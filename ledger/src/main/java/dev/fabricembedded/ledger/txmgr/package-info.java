/**
 * Transaction simulation (Fabric's {@code txmgr/lockbasedtxmgr} and {@code rwsetutil}): the
 * {@link dev.fabricembedded.ledger.txmgr.TxSimulator} an endorsement runs against, the read-only
 * {@link dev.fabricembedded.ledger.txmgr.QueryExecutor}, their range iterators, the read-write set builder and
 * the Merkle summary of large range results, and the {@link dev.fabricembedded.ledger.txmgr.StateLock} that
 * keeps simulations and commits apart.
 *
 * <p>Thread ownership: a simulator or query executor belongs to the endorsement that created it and is not
 * thread-safe; it may be handed between threads (its lock hold is not tied to a thread). Many simulators run
 * concurrently, each holding the shared lock until {@code done()}; the commit takes the lock exclusively.
 */
package dev.fabricembedded.ledger.txmgr;
