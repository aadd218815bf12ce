package dev.fabricembedded.peer;

import dev.fabricembedded.peer.committer.CommittedBlock;
import java.util.List;
import java.util.function.Consumer;
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

    /**
     * Validates and commits consecutive blocks, in order, with the outcome of committing them one by one (the next
     * blocks are validated while block {@code k} is written), handing each to {@code committed} as soon as it is in
     * the ledger.
     *
     * @throws RuntimeException when a block cannot be committed: the blocks before it are committed and were handed
     *                          to {@code committed}, it and the later ones are not
     */
    void commit(List<Block> blocks, Consumer<CommittedBlock> committed);

    /** Stops the committer's threads. */
    @Override
    void close();
}
