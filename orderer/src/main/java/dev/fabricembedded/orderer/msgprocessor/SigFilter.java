package dev.fabricembedded.orderer.msgprocessor;

import dev.fabricembedded.msp.policy.Policy;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import org.hyperledger.fabric.protos.common.Envelope;

import java.util.List;
import java.util.Objects;

/**
 * Requires the envelope's signature to satisfy a channel policy, {@code /Channel/Writers} for normal messages
 * (Fabric's {@code SigFilter}): the signed data is {@code {payload, SignatureHeader.creator, signature}}. An
 * envelope that does not satisfy it gets {@code FORBIDDEN} with Fabric's wrapped text
 * {@code <policy error>: permission denied}; one whose header cannot be read gets {@code BAD_REQUEST}. Immutable.
 */
public final class SigFilter implements Rule {

    /** Fabric's {@code ErrPermissionDenied} text. */
    public static final String PERMISSION_DENIED = "permission denied";

    private final Policy policy;

    /** A filter evaluating this policy. */
    public SigFilter(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public FilterResult apply(Envelope envelope) {
        SignedData signedData;
        try {
            signedData = EnvelopeSignedData.of(envelope);
        } catch (IllegalArgumentException e) {
            return FilterResult.badRequest("could not convert message to signedData: " + e.getMessage());
        }
        PolicyResult result = policy.evaluate(List.of(signedData));
        if (!result.isSatisfied()) {
            return FilterResult.forbidden(result.message() + ": " + PERMISSION_DENIED);
        }
        return FilterResult.accept();
    }
}
