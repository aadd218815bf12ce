/**
 * Benchmarks of the chaincode shim: a {@code getState} from a chaincode process answered by a scripted peer in
 * another JVM ({@code ScriptedPeerProcess}), beside the raw ipc round trip, the protocol's protobuf work and an
 * in-process map lookup; and the hand-off of an invocation from the event loop to a worker thread
 * ({@code InvocationHandOffBenchmark}: the shim's {@code InvocationWorkers} beside a {@code ThreadPoolExecutor}).
 * Each benchmark's state is owned by the JMH thread; the channels' threads are the ipc's, the pools' workers their
 * pool's.
 */
package dev.fabricembedded.jmh.shim;
