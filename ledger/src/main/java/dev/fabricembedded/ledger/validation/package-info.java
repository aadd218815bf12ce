/**
 * Block validation inside the ledger (Fabric's {@code txmgmt/validator}): extracting each transaction's
 * read-write set ({@link dev.fabricembedded.ledger.validation.TransactionParser}), then the sequential MVCC and
 * phantom-read checks in block order that produce the final validation codes and the block's coalesced
 * {@link dev.fabricembedded.ledger.state.UpdateBatch} ({@link dev.fabricembedded.ledger.validation.MvccValidator}).
 *
 * <p>Thread ownership: parsing is stateless and may run on any thread; validation runs on the committing thread
 * while it holds the exclusive state lock, so the committed state it compares against cannot change.
 */
package dev.fabricembedded.ledger.validation;
