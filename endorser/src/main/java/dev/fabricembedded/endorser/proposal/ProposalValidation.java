package dev.fabricembedded.endorser.proposal;

import java.util.Objects;

/**
 * The outcome of {@link ProposalValidator#validate}: the first check that failed, with Fabric's text, or the
 * {@link ValidatedProposal}. Failing checks are the expected answer to malformed or unauthorised proposals, hence a
 * value rather than an exception; the endorser turns a failure into the error a Fabric client receives.
 *
 * @param code     the failed check, or {@link Code#VALID}
 * @param message  Fabric's error text, empty when valid
 * @param proposal the validated proposal when valid, otherwise {@code null}
 */
public record ProposalValidation(Code code, String message, ValidatedProposal proposal) {

    /** The checks of Fabric's {@code ValidateProposalMessage}, in the order they run (fabric-1.4-flow.md §1.2). */
    public enum Code {
        /** All checks passed. */
        VALID,
        /** 1: no signed proposal: {@code nil arguments}. */
        NIL_ARGUMENTS,
        /** 2: {@code proposal_bytes} is not a {@code Proposal}: {@code error unmarshaling Proposal: ...}. */
        BAD_PROPOSAL,
        /** 3: the proposal's header is not a {@code Header}: {@code error unmarshaling Header: ...}. */
        BAD_HEADER,
        /** 4: {@code error unmarshaling ChannelHeader: ...}. */
        BAD_CHANNEL_HEADER,
        /** 4: {@code error unmarshaling SignatureHeader: ...}. */
        BAD_SIGNATURE_HEADER,
        /** 5: a header type other than CONFIG, CONFIG_UPDATE, ENDORSER_TRANSACTION, TOKEN_TRANSACTION. */
        INVALID_HEADER_TYPE,
        /** 6: {@code invalid Epoch in ChannelHeader. Expected 0, got [n]}. */
        INVALID_EPOCH,
        /** 7: {@code invalid nonce specified in the header}. */
        INVALID_NONCE,
        /** 8: {@code invalid creator specified in the header}. */
        INVALID_CREATOR,
        /**
         * 9: the creator does not deserialize, is not valid, or did not sign {@code proposal_bytes}; the channel is
         * unknown: {@code access denied: channel [<ch>] creator org [<mspid>]} (details are only logged).
         */
        ACCESS_DENIED,
        /** 10: {@code invalid txid. got [x], expected [y]}. */
        INVALID_TXID,
        /** 11: {@code unsupported proposal type <n>} (only CONFIG and ENDORSER_TRANSACTION carry chaincode). */
        UNSUPPORTED_PROPOSAL_TYPE,
        /** 12: {@code invalid header extension for type CHAINCODE}. */
        INVALID_HEADER_EXTENSION,
        /** 13: {@code ChaincodeHeaderExtension.ChaincodeId is nil}. */
        NIL_CHAINCODE_ID,
        /** 14: {@code invalid payload visibility field} (only full visibility, i.e. no field, is supported). */
        INVALID_PAYLOAD_VISIBILITY
    }

    public ProposalValidation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if ((code == Code.VALID) != (proposal != null)) {
            throw new IllegalArgumentException("a valid result carries the proposal, a failure does not");
        }
    }

    /** A passed validation. */
    public static ProposalValidation valid(final ValidatedProposal proposal) {
        return new ProposalValidation(Code.VALID, "", Objects.requireNonNull(proposal, "proposal"));
    }

    /** A failed check. */
    public static ProposalValidation failure(final Code code, final String message) {
        if (code == Code.VALID) {
            throw new IllegalArgumentException("a failure needs a failure code");
        }
        return new ProposalValidation(code, message, null);
    }

    /** {@code true} only for {@link Code#VALID}. */
    public boolean isValid() {
        return code == Code.VALID;
    }

    @Override
    public String toString() {
        return isValid() ? "VALID " + proposal.txId() : code + ": " + message;
    }
}
