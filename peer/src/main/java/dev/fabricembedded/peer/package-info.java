/**
 * The assembled peer: {@link dev.fabricembedded.peer.Peer} (built by {@link dev.fabricembedded.peer.PeerBuilder})
 * owns its data directory, its endorser and chaincodes, and one {@link dev.fabricembedded.peer.PeerChannel} per
 * joined channel (ledger, committer, events, delivery subscription to the ordering service).
 *
 * <p>Threads: a peer's mutable state (the set of joined channels) is changed under the peer's lock by
 * {@code joinChannel} and {@code close}, and read lock-free from a concurrent map. Each channel's ledger is written by
 * exactly one thread, the channel's delivery thread, which commits each block and then fires the channel's events;
 * endorsement runs on the callers' threads.
 */
package dev.fabricembedded.peer;
