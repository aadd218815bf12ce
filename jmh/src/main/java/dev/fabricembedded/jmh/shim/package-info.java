/**
 * Benchmarks of the chaincode shim: a {@code getState} from a chaincode process answered by a scripted peer in
 * another JVM ({@code ScriptedPeerProcess}), beside the raw ipc round trip, the protocol's protobuf work and an
 * in-process map lookup. Each benchmark's state is owned by the JMH thread; the channels' threads are the ipc's.
 */
package dev.fabricembedded.jmh.shim;
