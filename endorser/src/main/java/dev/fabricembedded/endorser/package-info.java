/**
 * Chaincode support and proposal processing: how the peer starts chaincodes, speaks Fabric's chaincode protocol to
 * them and endorses proposals.
 *
 * <p>{@link dev.fabricembedded.endorser.runtime} holds the chaincode runtimes (child JVM, container, in-process
 * object), each giving the peer one frame channel per running chaincode.
 */
package dev.fabricembedded.endorser;
