/**
 * Channel configuration, mirroring Fabric 1.4's {@code common/channelconfig} and configtxgen: a
 * {@link dev.fabricembedded.orderer.channelconfig.ChannelProfile} (built in code or loaded from configtx.yaml-style
 * YAML by {@link dev.fabricembedded.orderer.channelconfig.ChannelProfileYaml}) produces a real genesis config block
 * ({@link dev.fabricembedded.orderer.channelconfig.GenesisBlockFactory}); a
 * {@link dev.fabricembedded.orderer.channelconfig.ChannelConfig} parses any config block back into what the peer and
 * the orderer use: the channel's MSP manager, its policy tree, batch settings and capabilities.
 *
 * <p>Threads: everything here is immutable once built and may be shared; only the MSP manager's identity cache is
 * mutable, and it is concurrent.
 */
package dev.fabricembedded.orderer.channelconfig;
