package dev.fabricembedded.peer;

import dev.fabricembedded.peer.committer.CommittedBlock;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The committer of one joined channel as the peer uses it: the channel's delivery thread hands it each block from
 * the orderer, in order, and publishes the outcome. The peer's implementation delegates to the committer package's
 * {@code BlockCommitter} (block checks, transaction validation, MVCC, commit); the seam keeps the channel's delivery
 * logic independent of how blocks are validated.
 */
interface ChannelCommitter extends AutoCloseable {

    /**
     * Validates and commits the next block.
     *
     * @throws RuntimeException when the block cannot be committed (it is then not in the ledger)
     */
    CommittedBlock commit(Block block);

    /** Stops the committer's threads. */
    @Override
    void close();
}
