package dev.fabricembedded.endorser.proposal;

import dev.fabricembedded.msp.IdentityDeserializer;

import java.util.Optional;

/**
 * Finds the identity deserializer of a channel: the channel's MSP manager, built from its configuration (Fabric's
 * {@code mspmgmt.GetIdentityDeserializer(channelId)}). A channel this peer has not joined has none, and every
 * creator on it is refused. Implementations are thread-safe.
 */
@FunctionalInterface
public interface IdentityDeserializers {

    /** The deserializer of a joined channel (never called for the channel-less id {@code ""}). */
    Optional<IdentityDeserializer> forChannel(String channelId);
}
