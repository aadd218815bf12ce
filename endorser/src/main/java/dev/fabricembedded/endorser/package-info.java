/**
 * Chaincode support and proposal processing: how the peer starts chaincodes, speaks Fabric's chaincode protocol to
 * them and endorses proposals.
 *
 * <ul>
 *   <li>{@link dev.fabricembedded.endorser.Endorser} is Fabric's {@code ProcessProposal}: auth filters
 *       ({@link dev.fabricembedded.endorser.auth}), proposal validation ({@link dev.fabricembedded.endorser.proposal}),
 *       {@code preProcess}, simulation through chaincode support, the LSCC deploy/upgrade path, ESCC endorsement.
 *       It reads joined channels through {@link dev.fabricembedded.endorser.EndorserChannels} (the peer implements
 *       it from channel configuration; {@link dev.fabricembedded.endorser.StaticEndorserChannel} is a fixed one) and
 *       chaincode definitions through {@link dev.fabricembedded.endorser.chaincode.LsccLifecycle}.</li>
 *   <li>{@link dev.fabricembedded.endorser.chaincode} holds chaincode support: launch, the peer-side handler state
 *       machine, transaction contexts, execute.</li>
 *   <li>{@link dev.fabricembedded.endorser.runtime} holds the chaincode runtimes (child JVM, container, in-process
 *       object), each giving the peer one frame channel per running chaincode.</li>
 * </ul>
 *
 * <p>Threads: {@code Endorser.processProposal} runs on the client's thread, any number at once; the endorser's state is
 * immutable after construction, the channels and the package store are thread-safe, and each proposal's simulator is
 * used by that proposal only (by the client thread, and by the chaincode handler serving its requests while the client
 * thread waits).
 */
package dev.fabricembedded.endorser;
