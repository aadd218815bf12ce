package dev.fabricembedded.endorser;

import java.util.Objects;

/**
 * A proposal refused before simulation: what Fabric's peer answers with a gRPC error instead of a
 * {@code ProposalResponse} (the auth filters and {@code preProcess}, §1.1–§1.3 of the reference). The message is
 * Fabric's text, e.g. {@code access denied: channel [mychannel] creator org [Org1MSP]}; the reason lets a caller map
 * the refusal without parsing it.
 */
public final class ProposalException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a proposal was refused. */
    public enum Reason {
        /** An auth filter refused it: {@code identity expired}, or its parts could not be parsed. */
        AUTH_FILTER,
        /** It is malformed: nil, unparsable parts, header type, epoch, nonce, creator, header extension. */
        BAD_PROPOSAL,
        /** The creator is unknown or invalid on the channel, or its signature does not verify. */
        ACCESS_DENIED,
        /** {@code tx_id} is not {@code hex(SHA-256(nonce ‖ creator))}. */
        BAD_TXID,
        /** A header type no proposal may have. */
        UNSUPPORTED_TYPE,
        /** A system chaincode that cannot be invoked through a proposal. */
        NOT_INVOKABLE,
        /** The transaction id is already in the channel's ledger. */
        DUPLICATE_TXID,
        /** The channel's {@code peer/Propose} policy refused the creator. */
        ACL
    }

    private final Reason reason;

    public ProposalException(final Reason reason, final String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ProposalException(final Reason reason, final String message, final Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the proposal was refused. */
    public Reason reason() {
        return reason;
    }
}
