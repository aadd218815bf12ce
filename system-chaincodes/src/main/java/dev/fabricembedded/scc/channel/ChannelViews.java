package dev.fabricembedded.scc.channel;

import java.util.Optional;

/**
 * The channels this peer has joined, by id. A system chaincode asked about another channel gets an empty result
 * and answers with an error (Fabric panics there; see LSCC). Implementations are thread-safe.
 */
@FunctionalInterface
public interface ChannelViews {

    /** The current view of a joined channel; empty if the peer has not joined it. */
    Optional<ChannelView> channel(String channelId);
}
