package dev.fabricembedded.orderer;

import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

import java.util.Optional;
import java.util.SortedSet;

/**
 * An ordering service: Fabric's {@code AtomicBroadcast} (Broadcast and Deliver) for an embedded peer, plus channel
 * creation from a genesis block.
 *
 * <p>What every implementation guarantees:
 * <ul>
 *   <li>{@link #broadcast(Envelope)} answers like Fabric's Broadcast (fabric-1.4-flow.md §5.2): {@code SUCCESS} once
 *   the envelope is accepted for ordering; {@code BAD_REQUEST}, {@code FORBIDDEN}, {@code NOT_FOUND} or
 *   {@code SERVICE_UNAVAILABLE} with Fabric's text in {@code info} otherwise. Rejection is never thrown.</li>
 *   <li>Each channel is one chain of blocks, block 0 its genesis block, built and signed as Fabric's orderer does
 *   (§5.3, §5.4), persisted before it is delivered; a restarted service continues every chain.</li>
 *   <li>{@link #subscribe} delivers every block of a channel from any height, in order, without gaps or duplicates,
 *   on a thread of the service; a slow subscriber delays only itself.</li>
 *   <li>{@link #close()} stops accepting envelopes, orders what was accepted, then ends every subscription and
 *   thread and releases the files.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface OrderingService extends AutoCloseable {

    /**
     * Submits an envelope for ordering. Returns once the envelope is accepted (queued for its channel) or rejected;
     * the block holding it is delivered to subscribers later.
     */
    BroadcastResponse broadcast(Envelope envelope);

    /**
     * Delivers the blocks of a channel, starting at block {@code fromHeight} (0 for the whole chain), to the
     * listener: stored blocks first, then each new block as it is written. A height above the chain's waits for the
     * chain to reach it.
     *
     * @return the subscription; closing it stops delivery
     * @throws OrdererException {@code CHANNEL_NOT_FOUND} for an unknown channel, {@code CLOSED} after close
     */
    Subscription subscribe(String channelId, long fromHeight, BlockListener listener);

    /**
     * Creates a channel from its genesis block (block 0, one CONFIG envelope, see
     * {@link ChannelConfig#fromGenesisBlock(Block)}) and starts ordering for it.
     *
     * @return {@code true} if created, {@code false} if the channel exists with this very genesis block (so a host
     *         application may call this on every start)
     * @throws OrdererException {@code CHANNEL_EXISTS} when it exists with another genesis block,
     *                          {@code INVALID_GENESIS_BLOCK}, {@code UNSUPPORTED_CONFIG},
     *                          {@code SIGNER_NOT_AUTHORIZED} when this orderer's identity cannot sign blocks the
     *                          channel's {@code /Channel/Orderer/BlockValidation} accepts, {@code CLOSED}
     */
    boolean createChannel(Block genesisBlock);

    /** The channels, sorted. */
    SortedSet<String> channels();

    /**
     * Number of blocks of a channel's chain (the next block number).
     *
     * @throws OrdererException {@code CHANNEL_NOT_FOUND}
     */
    long height(String channelId);

    /** The configuration of a channel, if it exists. */
    Optional<ChannelConfig> channelConfig(String channelId);

    /** Orders what was accepted, stops every thread and subscription, closes the chains. Idempotent. */
    @Override
    void close();
}
