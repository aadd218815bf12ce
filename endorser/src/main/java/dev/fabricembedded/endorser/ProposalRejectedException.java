package dev.fabricembedded.endorser;

import dev.fabricembedded.endorser.auth.AuthFilterResult;
import dev.fabricembedded.endorser.proposal.ProposalValidation;

import java.util.Objects;
import java.util.Optional;

/**
 * A proposal the endorser refused before simulating it: the analogue of the gRPC error a Fabric 1.4 peer returns
 * from {@code ProcessProposal} when an auth filter or {@code preProcess} fails (fabric-1.4-flow.md §1.1, §1.3, §1.8).
 * The client receives no {@code ProposalResponse}, only this message, which is Fabric's text.
 *
 * <p>Failures after the proposal was accepted for simulation are not exceptions: they are responses with status
 * 500, as in Fabric.
 */
public final class ProposalRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the proposal was refused, in the order the endorser checks. */
    public enum Reason {
        /** An auth filter refused it (e.g. {@code identity expired}). */
        AUTH_FILTER,
        /** A {@code ValidateProposalMessage} check failed; see {@link #validationCode()}. */
        INVALID_PROPOSAL,
        /** The target is a system chaincode that proposals may not invoke ({@code escc}, {@code vscc}, ...). */
        NOT_INVOKABLE,
        /** The transaction id is already in the channel's ledger (a replay or a retry). */
        DUPLICATE_TRANSACTION,
        /** The creator does not satisfy the channel's {@code peer/Propose} policy. */
        ACCESS_DENIED
    }

    private final Reason reason;
    private final ProposalValidation.Code validationCode;
    private final AuthFilterResult.Code filterCode;

    private ProposalRejectedException(final Reason reason, final String message,
            final ProposalValidation.Code validationCode, final AuthFilterResult.Code filterCode) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.validationCode = validationCode;
        this.filterCode = filterCode;
    }

    /** Refused by an auth filter. */
    static ProposalRejectedException filtered(final AuthFilterResult result) {
        return new ProposalRejectedException(Reason.AUTH_FILTER, result.message(), null, result.code());
    }

    /** Refused by proposal validation. */
    static ProposalRejectedException invalid(final ProposalValidation validation) {
        return new ProposalRejectedException(Reason.INVALID_PROPOSAL, validation.message(), validation.code(), null);
    }

    /** Refused for another reason of {@code preProcess}. */
    static ProposalRejectedException of(final Reason reason, final String message) {
        return new ProposalRejectedException(reason, message, null, null);
    }

    /** Why the proposal was refused. */
    public Reason reason() {
        return reason;
    }

    /** The failed validation check, for {@link Reason#INVALID_PROPOSAL}. */
    public Optional<ProposalValidation.Code> validationCode() {
        return Optional.ofNullable(validationCode);
    }

    /** The auth filter's code, for {@link Reason#AUTH_FILTER}. */
    public Optional<AuthFilterResult.Code> filterCode() {
        return Optional.ofNullable(filterCode);
    }
}
