package dev.fabricembedded.ledger.block;

import org.hyperledger.fabric.protos.common.Block;

import java.nio.file.Path;
import java.util.List;

/**
 * An append-only chain of blocks in one directory: Fabric's block storage, usable on its own (the orderer keeps
 * its chain in one) or inside a {@link dev.fabricembedded.ledger.ChannelLedger}.
 *
 * <p>Guarantees: blocks are appended in number order with a verified hash chain; {@link #append} returns only
 * after the block is on disk (synced), so a block reported as appended survives a process or machine crash; a
 * block only partly written when the process died is detected by its checksum and dropped at the next open.
 * Blocks are stored exactly as given (the ledger passes them with their final validation flags).
 *
 * <p>Thread ownership: one appending thread; readers on any thread. The file store syncs each block on a helper
 * thread of its own, stopped by {@link #close()}.
 */
public interface BlockStore extends BlockReader, AutoCloseable {

    /** A builder for a file-based block store in {@code directory} (created if absent). */
    static FileBlockStore.Builder builder(final Path directory) {
        return FileBlockStore.builder(directory);
    }

    /**
     * Appends a block, reading its transaction ids from its envelopes.
     *
     * @throws dev.fabricembedded.ledger.BlockRejectedException if its number is not {@link #height()}, its
     *         {@code previous_hash} is not the last block's hash, or its {@code data_hash} does not match its data
     */
    void append(Block block);

    /**
     * Appends a block whose transaction ids the caller already extracted ({@code txIds.get(i)} is the channel
     * header {@code tx_id} of {@code data[i]}, "" if none); the ledger uses this to avoid parsing twice.
     */
    void append(Block block, List<String> txIds);

    /** Closes the files; the store syncs its indexes and records a clean shutdown. */
    @Override
    void close();
}
