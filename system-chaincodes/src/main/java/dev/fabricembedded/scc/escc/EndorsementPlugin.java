package dev.fabricembedded.scc.escc;

import dev.fabricembedded.msp.SigningIdentity;
import org.hyperledger.fabric.protos.peer.ProposalResponse;

/**
 * Turns a simulated proposal into the peer's {@code ProposalResponse} (Fabric 1.4's endorsement plugin, the
 * successor of the ESCC system chaincode). Selected by the {@code escc} name of the chaincode definition through an
 * {@link EndorsementPluginRegistry}.
 *
 * <p>Implementations are stateless and thread-safe: the endorser calls them from any thread, for any channel.
 */
@FunctionalInterface
public interface EndorsementPlugin {

    /**
     * Endorses.
     *
     * @param context  the proposal and its simulation
     * @param endorser the peer's signing identity
     * @return the response to send to the client
     * @throws EndorsementException when the endorsement cannot be produced (e.g. the signer fails)
     */
    ProposalResponse endorse(EndorsementContext context, SigningIdentity endorser);
}
