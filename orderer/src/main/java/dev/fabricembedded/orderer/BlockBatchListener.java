package dev.fabricembedded.orderer;

import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A {@link BlockListener} that can take several consecutive blocks at once. When the delivery reaches a block and
 * the following ones are already stored (a subscriber catching up, or blocks cut faster than it handles them), the
 * subscription hands them over together, so that the listener can overlap work on them: a peer's committer validates
 * block {@code k + 1} while it writes block {@code k} to its ledger.
 *
 * <p>Same contract as {@link BlockListener} otherwise: called on the subscription's delivery thread, blocks in order
 * without gaps or duplicates, the next call only after this one returns; throwing ends the subscription. A listener
 * that handled some blocks of a batch before failing must itself account for them (the subscription ends anyway).
 */
public interface BlockBatchListener extends BlockListener {

    /**
     * Handles consecutive blocks, in order: the first is the next block of the subscription, each following one its
     * successor. Never empty; at most the subscription's batch limit. A single available block may also come through
     * {@link #onBlock}.
     */
    void onBlocks(List<Block> blocks) throws Exception;
}
