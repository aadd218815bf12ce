/**
 * The peer-provided view of a joined channel that system chaincodes and validation plugins read
 * ({@link dev.fabricembedded.scc.channel.ChannelView}: application organisations, identity deserializer,
 * capabilities, ACL checks), the lookup of joined channels ({@link dev.fabricembedded.scc.channel.ChannelViews}),
 * Fabric's ACL resource names and a ready implementation over a channel policy tree.
 *
 * <p>Threads: views are immutable snapshots shared by all threads (a view's cache of compiled endorsement policies is
 * a concurrent map, filled by whichever thread asks first); the peer swaps in a new view on a configuration update.
 */
package dev.fabricembedded.scc.channel;
