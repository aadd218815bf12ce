/**
 * The lifecycle system chaincode ({@link dev.fabricembedded.scc.lscc.Lscc}): install, deploy, upgrade and the
 * chaincode queries of Fabric 1.4, reading and writing namespace {@code lscc} through the chaincode stub and
 * everything else through injected interfaces.
 *
 * <p>Threads: {@code Lscc} holds no mutable state; each invocation runs on the thread the shim runtime gives it, and
 * invocations of different transactions may run concurrently.
 */
package dev.fabricembedded.scc.lscc;
