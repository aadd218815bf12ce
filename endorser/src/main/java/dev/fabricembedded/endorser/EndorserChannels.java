package dev.fabricembedded.endorser;

import java.util.Map;
import java.util.Optional;

/**
 * The channels this peer has joined, by id (Fabric's {@code peer.GetChannel...} lookups): the endorser asks it for a
 * proposal's channel, and LSCC, QSCC and chaincode support ask it through the endorser's adapters. A channel that is
 * not there has not been joined. Implementations are thread-safe.
 */
@FunctionalInterface
public interface EndorserChannels {

    /** The current state of a joined channel; empty if the peer has not joined it. */
    Optional<EndorserChannel> channel(String channelId);

    /** A fixed set of channels. */
    static EndorserChannels of(final EndorserChannel... channels) {
        final Map<String, EndorserChannel> byId = new java.util.HashMap<>();
        for (final EndorserChannel channel : channels) {
            if (byId.putIfAbsent(channel.channelId(), channel) != null) {
                throw new IllegalArgumentException("channel " + channel.channelId() + " given twice");
            }
        }
        final Map<String, EndorserChannel> copy = Map.copyOf(byId);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
