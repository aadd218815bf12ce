package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;

/**
 * Chaincode definitions as the channel's lifecycle system chaincode (LSCC in Fabric 1.4) records them, read through
 * the transaction's query executor (Fabric's {@code Lifecycle} and {@code InstantiationPolicyChecker}).
 *
 * <p>{@link LsccLifecycle} is the implementation over LSCC's state and the installed package store.
 *
 * <p>Chaincode support asks it in two places: when a proposal needs a chaincode that is not running (which version to
 * launch, after the fingerprint check of the installed package), and when a chaincode calls another one (which version
 * the callee has, and whether the installed package's instantiation policy matches). Reading through a simulator
 * records the read of {@code lscc/<name>} in the transaction's read set, as in Fabric.
 */
public interface Lifecycle {

    /**
     * The definition of an instantiated chaincode.
     *
     * @param channelId the channel whose definition is wanted
     * @param qe        the transaction's simulator or query executor (may be null for chainless calls)
     * @throws ChaincodeException with Fabric's text, e.g. {@code chaincode mycc not found}
     */
    ChaincodeData chaincodeDefinition(String channelId, String name, QueryExecutor qe) throws ChaincodeException;

    /**
     * What to launch for {@code name}: the version of its definition, after checking that the locally installed
     * package matches it (Fabric's fingerprint check, {@code chaincode fingerprint mismatch: data mismatch}).
     *
     * @throws ChaincodeException with Fabric's text when it is not defined, not installed or does not match
     */
    ChaincodeContainerInfo chaincodeContainerInfo(String channelId, String name, QueryExecutor qe)
            throws ChaincodeException;

    /**
     * Fabric's {@code CheckInstantiationPolicy}: the instantiation policy of the locally installed package, if it has
     * one, must equal the definition's ({@code Instantiation policy mismatch for cc <name>/<version>}).
     *
     * @throws ChaincodeException if the package is not installed or the policies differ
     */
    void checkInstantiationPolicy(String name, String version, ChaincodeData definition) throws ChaincodeException;
}
