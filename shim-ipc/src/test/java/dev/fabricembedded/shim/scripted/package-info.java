/**
 * Test fixtures shared through the shim-ipc test jar (used by the examples' tests): {@code ScriptedPeer}, the peer
 * side of Fabric's chaincode protocol answering from an in-memory world state; {@code InJvmChaincode}, a chaincode
 * connection and a scripted peer on an in-JVM channel pair; {@code ChildJvm} for two-process tests;
 * {@code Proposals} for signed proposals.
 *
 * <p>A scripted peer's state is touched by its channel's event-loop thread and by test threads, hence its
 * concurrent collections.
 */
package dev.fabricembedded.shim.scripted;
