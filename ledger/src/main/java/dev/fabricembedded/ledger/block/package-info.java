/**
 * The block store: Fabric's {@code fsblkstorage} for this project. Append-only block files with a
 * checksummed record per block, a fixed-size number index, a transaction-id and block-hash index, the chain
 * head ({@code BlockchainInfo}), and Fabric's block hashing rules
 * ({@link dev.fabricembedded.ledger.block.BlockHashes}).
 *
 * <p>Thread ownership: one thread appends (the committer, or the orderer's block writer) and indexes the
 * transaction ids; each append hands the record's {@code fdatasync} to the store's helper thread
 * ({@code block-sync}) and waits for it; any number of threads read concurrently. Readers see a block once
 * {@link dev.fabricembedded.ledger.block.BlockReader#height()} covers it, which happens after the block is synced
 * and indexed.
 */
package dev.fabricembedded.ledger.block;
