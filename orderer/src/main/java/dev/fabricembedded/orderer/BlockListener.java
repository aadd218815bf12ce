package dev.fabricembedded.orderer;

import org.hyperledger.fabric.protos.common.Block;

/**
 * Receives a channel's blocks from an {@link OrderingService} subscription, in order (Fabric's Deliver stream).
 *
 * <p>Called on the subscription's own delivery thread, one block at a time: the next block is delivered only after
 * this call returns, so a listener may take its time (validate and commit) without holding up ordering or other
 * subscribers. Throwing ends the subscription; the exception is logged and kept as
 * {@link Subscription#failure()}. A {@link BlockBatchListener} also takes the blocks already stored after the next one
 * together with it.
 */
@FunctionalInterface
public interface BlockListener {

    /** Handles the next block. */
    void onBlock(Block block) throws Exception;
}
