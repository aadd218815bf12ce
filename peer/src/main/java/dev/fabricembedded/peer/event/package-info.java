/**
 * Events of a joined channel for the host application: committed blocks, transaction commit statuses by id and
 * chaincode events, each listener removable through its {@link dev.fabricembedded.peer.event.Registration}.
 *
 * <p>Threads: {@link dev.fabricembedded.peer.event.ChannelEvents} is fed by the channel's delivery thread (the
 * orderer subscription's thread that commits each block) right after the commit, and calls every listener and
 * completes every status future on that thread; registration is thread-safe from anywhere. A listener that throws is
 * logged and does not stop the channel.
 */
package dev.fabricembedded.peer.event;
