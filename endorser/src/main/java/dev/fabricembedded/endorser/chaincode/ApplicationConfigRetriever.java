package dev.fabricembedded.endorser.chaincode;

import java.util.Optional;

/**
 * Looks up a channel's application configuration (Fabric's {@code ApplicationConfigRetriever}); the peer answers from
 * the channel configuration it committed.
 */
@FunctionalInterface
public interface ApplicationConfigRetriever {

    /** A retriever that knows no channel: every state-metadata request fails. */
    ApplicationConfigRetriever NONE = channelId -> Optional.empty();

    /** The application capabilities of {@code channelId}, empty if this peer has no configuration for it. */
    Optional<ApplicationCapabilities> applicationCapabilities(String channelId);
}
