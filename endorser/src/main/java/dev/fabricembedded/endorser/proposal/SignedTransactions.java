package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

import java.util.List;
import java.util.Objects;

/**
 * Assembles the transaction a client sends to the orderer from its proposal and the endorsers' responses
 * (Fabric's {@code CreateSignedTx}, fabric-1.4-flow.md §5.1), with Fabric's checks and texts:
 * <ol>
 *   <li>at least one response: {@code at least one proposal response is required};</li>
 *   <li>the signer is the proposal's creator: {@code signer must be the same as the one referenced in the header};</li>
 *   <li>the first response's status is in [200, 400): {@code proposal response was not successful, error code <s>,
 *       msg <m>}; every other response's payload is byte-equal to the first's: {@code ProposalResponsePayloads do
 *       not match}. Endorsement signatures are not verified here (the committer does it).</li>
 * </ol>
 * Stateless.
 */
public final class SignedTransactions {

    private SignedTransactions() {
    }

    /**
     * The signed transaction envelope.
     *
     * @throws IllegalArgumentException with Fabric's text when a check above fails
     */
    public static Envelope create(final ClientProposal proposal, final List<ProposalResponse> responses,
            final SigningIdentity signer) {
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(responses, "responses");
        Objects.requireNonNull(signer, "signer");
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("at least one proposal response is required");
        }
        if (!signer.serialized().equals(proposal.creator())) {
            throw new IllegalArgumentException("signer must be the same as the one referenced in the header");
        }
        final ProposalResponse first = responses.get(0);
        final int status = first.getResponse().getStatus();
        if (status < 200 || status >= 400) {
            throw new IllegalArgumentException("proposal response was not successful, error code " + status
                    + ", msg " + first.getResponse().getMessage());
        }
        final ChaincodeEndorsedAction.Builder action = ChaincodeEndorsedAction.newBuilder()
                .setProposalResponsePayload(first.getPayload());
        for (int i = 0; i < responses.size(); i++) {
            final ProposalResponse response = responses.get(i);
            if (i > 0 && !response.getPayload().equals(first.getPayload())) {
                throw new IllegalArgumentException("ProposalResponsePayloads do not match");
            }
            action.addEndorsements(response.getEndorsement());
        }
        final ChaincodeProposalPayload withoutTransient = ChaincodeProposalPayload.newBuilder()
                .setInput(proposal.chaincodeProposalPayload().getInput())
                .build();
        final ChaincodeActionPayload actionPayload = ChaincodeActionPayload.newBuilder()
                .setChaincodeProposalPayload(withoutTransient.toByteString())
                .setAction(action)
                .build();
        final Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder()
                        .setHeader(proposal.header().getSignatureHeader())
                        .setPayload(actionPayload.toByteString()))
                .build();
        final byte[] payload = Payload.newBuilder()
                .setHeader(proposal.header())
                .setData(transaction.toByteString())
                .build()
                .toByteArray();
        return Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(signer.sign(payload)))
                .build();
    }
}
