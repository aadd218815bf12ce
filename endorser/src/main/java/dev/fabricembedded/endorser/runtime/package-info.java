/**
 * Chaincode runtimes: how the peer starts a chaincode and gets a frame channel to it (Fabric's container runtime).
 *
 * <p>{@link dev.fabricembedded.endorser.runtime.ChaincodeRuntime#start} takes a
 * {@link dev.fabricembedded.endorser.runtime.LaunchSpec} (name, version, package jars) and the peer's
 * {@link dev.fabricembedded.ipc.FrameHandler}, and returns a {@link dev.fabricembedded.endorser.runtime.RunningChaincode}:
 * the peer's end of the channel, an exit future, a stop. Three implementations:
 * <ul>
 *   <li>{@link dev.fabricembedded.endorser.runtime.ProcessRuntime}, the default: a child JVM running the shim's
 *       {@code ChaincodeMain} with the package jars, over a Chronicle channel in a private directory;</li>
 *   <li>{@link dev.fabricembedded.endorser.runtime.DockerRuntime}: the same JVM in a container built from a local
 *       base image ({@link dev.fabricembedded.endorser.runtime.DockerBaseImage}) plus the package, the channel
 *       directory bind-mounted;</li>
 *   <li>{@link dev.fabricembedded.endorser.runtime.InProcessRuntime}: system chaincodes and chaincode objects
 *       registered by the host application, over an in-JVM channel pair driven by the shim's own state machine.</li>
 * </ul>
 * {@link dev.fabricembedded.endorser.runtime.CodePackageFiles} turns an installed code package into jar files,
 * {@link dev.fabricembedded.endorser.runtime.ShimClasspath} finds the chaincode JVM's class path in the peer's JVM,
 * {@link dev.fabricembedded.endorser.runtime.ChronicleJvmFlags} holds the JVM flags Chronicle needs.
 *
 * <p>Thread ownership: a runtime's set of running chaincodes is a concurrent set, and starting and closing are
 * serialized by one lock per runtime so that nothing started escapes {@code close()}. Each runtime has one named
 * daemon thread that releases ended chaincodes ({@code chaincode-process-exits}, {@code chaincode-docker-exits},
 * {@code chaincode-inprocess-exits}); a child process's stdout and stderr each have a named daemon thread
 * ({@code chaincode-<name:version>-stdout}); a container's log and exit are followed by docker-java's threads. The
 * peer's handler runs on the channel's event-loop thread, which a runtime never blocks. Runtimes that start
 * processes or containers register a JVM shutdown hook, removed on close, that kills what is still running.
 */
package dev.fabricembedded.endorser.runtime;
