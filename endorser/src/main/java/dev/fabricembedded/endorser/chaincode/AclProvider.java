package dev.fabricembedded.endorser.chaincode;

import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Channel access control for chaincode support (Fabric's {@code ACLProvider}): checked when a chaincode invokes an
 * application chaincode, for the resource {@value #CHAINCODE_TO_CHAINCODE} on the callee's channel, against the
 * original signed proposal.
 */
@FunctionalInterface
public interface AclProvider {

    /** Fabric's resource name for chaincode-to-chaincode invocations. */
    String CHAINCODE_TO_CHAINCODE = "peer/ChaincodeToChaincode";

    /** Allows everything: for a peer whose channels have no access policies (tests, single-user embedded use). */
    AclProvider ALLOW_ALL = (resource, channelId, signedProposal) -> { };

    /**
     * Checks that the proposal's creator may use {@code resource} on {@code channelId}.
     *
     * @throws ChaincodeException with the policy's failure text if not
     */
    void checkAcl(String resource, String channelId, SignedProposal signedProposal) throws ChaincodeException;
}
