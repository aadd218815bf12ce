/**
 * Blocks as the orderer makes them and the peer checks them (fabric-1.4-flow.md §5.4, §5.5): the next block of a
 * chain from a batch and its append to the block store ({@link dev.fabricembedded.orderer.block.BlockWriter}), the
 * orderer's LAST_CONFIG and SIGNATURES metadata ({@link dev.fabricembedded.orderer.block.BlockSigner}) and the
 * peer-side checks of a delivered block ({@link dev.fabricembedded.orderer.block.BlockVerifier}). Header and data
 * hashes are the ledger's {@code BlockHashes}.
 *
 * <p>Threads: a {@code BlockWriter} belongs to its channel's ordering thread (single writer); signers and verifiers
 * are immutable and may be shared.
 */
package dev.fabricembedded.orderer.block;
