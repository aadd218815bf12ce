/**
 * Proposal processing and chaincode support: how the peer checks and endorses proposals, starts chaincodes, speaks
 * Fabric's chaincode protocol to them and executes them.
 *
 * <p>{@link dev.fabricembedded.endorser.Endorser} is Fabric's {@code ProcessProposal}: the auth filter
 * ({@code ExpirationCheck}), message validation ({@code MessageValidation}), {@code preProcess}, simulation through
 * {@link dev.fabricembedded.endorser.chaincode.ChaincodeSupport} and endorsement through the ESCC plugins. It keeps no
 * state of its own: every proposal is processed on the caller's thread, with a simulator of its own.
 * {@link dev.fabricembedded.endorser.chaincode} holds chaincode support, {@link dev.fabricembedded.endorser.runtime}
 * the chaincode runtimes (child JVM, container, in-process object).
 */
package dev.fabricembedded.endorser;
