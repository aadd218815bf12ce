/**
 * Fabric's block cutter ({@code orderer/common/blockcutter}): the rules that turn a channel's stream of ordered
 * envelopes into batches, one per block ({@link dev.fabricembedded.orderer.blockcutter.BlockCutter}).
 *
 * <p>Threads: a cutter holds its channel's pending batch and is owned by that channel's ordering thread; it is not
 * thread-safe and needs no locks because nothing else touches it.
 */
package dev.fabricembedded.orderer.blockcutter;
