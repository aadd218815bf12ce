package dev.fabricembedded.ledger.block;

import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;

import java.util.Optional;

/**
 * Read access to a chain of stored blocks: what QSCC, the deliver service and the endorser's replay check need.
 *
 * <p>Safe to call from any thread, concurrently with appends. A block is visible once {@link #height()} covers
 * it; blocks are immutable once stored, so everything returned stays true.
 */
public interface BlockReader {

    /** Number of stored blocks (the next block number). */
    long height();

    /**
     * Fabric's {@code BlockchainInfo}: height, hash of the last block's header, and that block's
     * {@code previous_hash} (both empty when the chain is empty).
     */
    BlockchainInfo chainInfo();

    /** The stored block with this number, if {@code number < height()}. */
    Optional<Block> blockByNumber(long number);

    /** The stored block whose header hash ({@link BlockHashes#headerHash}) is {@code headerHash}. */
    Optional<Block> blockByHash(byte[] headerHash);

    /** Where a transaction id was committed (cheap: one index lookup, no block read). */
    Optional<TransactionLocation> transactionLocation(String txId);

    /** A committed transaction with its envelope and final validation code. */
    Optional<TransactionRecord> transactionById(String txId);

    /** The block holding a transaction id. */
    Optional<Block> blockByTxId(String txId);
}
