/**
 * A whole embedded Fabric network on one data directory: {@link dev.fabricembedded.peer.network.NetworkLayout}
 * (where the crypto material in cryptogen's layout, the orderer's chains, each peer's data and the channel's genesis
 * block live) and {@link dev.fabricembedded.peer.network.EmbeddedNetwork} (writes a new network, opens one under an
 * exclusive lock: a solo orderer and one peer per organisation joined to {@code mychannel}).
 *
 * <p>Threads: the classes here own no thread; they are opened and closed by the caller's thread. The orderer and
 * the peers they open run their own threads (ordering, delivery, chaincode processes) and stop them on close.
 */
package dev.fabricembedded.peer.network;
