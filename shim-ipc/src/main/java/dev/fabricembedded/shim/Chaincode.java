package dev.fabricembedded.shim;

/**
 * A chaincode: the smart contract a peer runs for its channels, called once per transaction proposal.
 *
 * <p>This is the interface of Fabric's Java shim ({@code org.hyperledger.fabric.shim.Chaincode}): a chaincode
 * written against it ports by changing imports. An implementation must have a public no-argument constructor so
 * that {@link ChaincodeMain} can create it from its class name.
 *
 * <p>Threads: both methods are called on the shim's worker threads, possibly concurrently for different
 * transactions; the {@link ChaincodeStub} passed in belongs to one transaction. An implementation keeps its
 * state in the ledger, not in fields, exactly as with Fabric (every endorsing peer runs its own instance).
 */
public interface Chaincode {

    /**
     * Called when the chaincode is instantiated or upgraded (Fabric 1.4 {@code INIT} message). A status of 500
     * or more fails the instantiate; any other status lets it succeed (the peer drops Init's response).
     */
    Response init(ChaincodeStub stub);

    /** Called for every transaction proposal and chaincode-to-chaincode call addressed to this chaincode. */
    Response invoke(ChaincodeStub stub);
}
