/**
 * The ledger query system chaincode ({@link dev.fabricembedded.scc.qscc.Qscc}): chain info, blocks by number, hash
 * or transaction id, and transactions by id, read through the injected
 * {@link dev.fabricembedded.scc.qscc.BlockReaders}.
 *
 * <p>Threads: stateless; invocations may run concurrently on the shim runtime's threads, and block readers are safe
 * to use concurrently with commits.
 */
package dev.fabricembedded.scc.qscc;
