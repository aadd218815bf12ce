package dev.fabricembedded.ledger;

import dev.fabricembedded.ledger.block.TxValidationFlags;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A committed block: its number, the final validation code of every transaction, and the block exactly as
 * stored (its {@code TRANSACTIONS_FILTER} slot holding those codes, metadata padded to Fabric's five slots),
 * which is what block events and the deliver service hand out.
 *
 * @param blockNumber the block's number
 * @param flags       the final codes, one per transaction
 * @param block       the stored block
 */
public record CommitResult(long blockNumber, TxValidationFlags flags, Block block) {

    /** The final code of transaction {@code index}. */
    public TxValidationCode code(final int index) {
        return flags.code(index);
    }

    /** Number of transactions committed as {@code VALID}. */
    public int validCount() {
        return flags.validCount();
    }
}
