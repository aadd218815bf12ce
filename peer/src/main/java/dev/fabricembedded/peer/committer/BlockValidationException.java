package dev.fabricembedded.peer.committer;

import java.io.Serial;

/**
 * Validation of a block could not be carried out (fabric-1.4-flow.md §6.1): a validation plugin failed to run, the
 * state could not be read, a configuration could not be applied. Unlike an invalid transaction, which is a code in
 * the block, this aborts the whole block: nothing of it is committed, and the channel stops at the previous block
 * until the cause is fixed. The message is that of the lowest-index transaction that failed.
 */
public final class BlockValidationException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long blockNumber;
    private final int txIndex;

    public BlockValidationException(long blockNumber, int txIndex, String message, Throwable cause) {
        super("validation of block " + blockNumber + " failed at transaction " + txIndex + ": " + message, cause);
        this.blockNumber = blockNumber;
        this.txIndex = txIndex;
    }

    /** The block that was not committed. */
    public long blockNumber() {
        return blockNumber;
    }

    /** Index of the lowest failing transaction. */
    public int txIndex() {
        return txIndex;
    }
}
