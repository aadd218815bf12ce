/**
 * The ordering service contract the peer uses: {@link dev.fabricembedded.orderer.OrderingService} (broadcast,
 * deliver subscriptions from any height, channel creation from a genesis block),
 * {@link dev.fabricembedded.orderer.BlockListener} (and {@link dev.fabricembedded.orderer.BlockBatchListener}, which
 * takes consecutive stored blocks together), {@link dev.fabricembedded.orderer.Subscription} and
 * {@link dev.fabricembedded.orderer.OrdererException}. The embedded implementation is
 * {@link dev.fabricembedded.orderer.solo.SoloOrderer}; channel configuration (profiles, genesis blocks, the parsed
 * channel view) lives in {@code channelconfig}, block construction and verification in {@code block}.
 *
 * <p>Threads: the types here are interfaces and values; implementations document their threads.
 */
package dev.fabricembedded.orderer;
