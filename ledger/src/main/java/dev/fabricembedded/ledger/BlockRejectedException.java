package dev.fabricembedded.ledger;

/**
 * A block was refused as a whole: nothing of it was stored or applied and the ledger stays at its height.
 *
 * <p>Transaction-level problems are never reported this way: they are validation codes in the block's
 * {@code TRANSACTIONS_FILTER} (see {@link CommitResult}). This exception is for blocks that cannot be
 * appended at all, so that the caller can tell "my block was out of order" from "the ledger is full".
 */
public final class BlockRejectedException extends LedgerException {
    private static final long serialVersionUID = 1L;

    /** Why the block was refused. */
    public enum Reason {
        /** The block has no header, no data, or its data cannot be read. */
        MALFORMED,
        /** The block number is not the ledger height (a gap or a repeat). */
        WRONG_NUMBER,
        /** {@code previous_hash} is not the hash of the last block's header. */
        WRONG_PREVIOUS_HASH,
        /** {@code data_hash} is not SHA-256 over the block's transactions. */
        WRONG_DATA_HASH,
        /** The world state cannot take the block's writes: it was sized too small. */
        CAPACITY_EXCEEDED
    }

    private final Reason reason;
    private final long blockNumber;

    public BlockRejectedException(final Reason reason, final long blockNumber, final String message) {
        super(message);
        this.reason = reason;
        this.blockNumber = blockNumber;
    }

    public Reason reason() {
        return reason;
    }

    /** The number carried by the refused block's header (-1 if it had no header). */
    public long blockNumber() {
        return blockNumber;
    }
}
