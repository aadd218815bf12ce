/**
 * The chaincode API: what chaincode authors import. {@link dev.fabricembedded.shim.Chaincode},
 * {@link dev.fabricembedded.shim.ChaincodeStub} and {@link dev.fabricembedded.shim.Response} follow Fabric's Java
 * shim ({@code org.hyperledger.fabric.shim}) name for name, so chaincode written for Fabric ports by changing
 * imports; {@link dev.fabricembedded.shim.ChaincodeMain} is the chaincode process entry point.
 *
 * <p>Nothing here holds shared state: a stub belongs to the worker thread running its invocation.
 */
package dev.fabricembedded.shim;
