package dev.fabricembedded.msp.policy;

import java.util.Objects;

/**
 * The outcome of evaluating a {@link Policy}: a code and Fabric's message.
 *
 * @param code    what happened
 * @param message empty when satisfied, otherwise Fabric's text
 */
public record PolicyResult(Code code, String message) {

    /** Policy evaluation outcomes. */
    public enum Code {
        /** The signatures satisfy the policy. */
        SATISFIED,
        /** A signature policy was not met: {@code signature set did not satisfy policy}. */
        SIGNATURE_SET_NOT_SATISFIED,
        /** An ImplicitMeta policy had too few satisfied sub-policies. */
        IMPLICIT_META_NOT_SATISFIED,
        /** The policy looked up does not exist: {@code No such policy: '<name>'}. */
        NO_SUCH_POLICY
    }

    /** Fabric's text for an unmet signature policy. */
    public static final String SIGNATURE_SET_NOT_SATISFIED_MESSAGE = "signature set did not satisfy policy";

    private static final PolicyResult SATISFIED = new PolicyResult(Code.SATISFIED, "");
    private static final PolicyResult NOT_SATISFIED = new PolicyResult(Code.SIGNATURE_SET_NOT_SATISFIED,
            SIGNATURE_SET_NOT_SATISFIED_MESSAGE);

    public PolicyResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The shared satisfied result. */
    public static PolicyResult satisfied() {
        return SATISFIED;
    }

    /** The shared result of an unmet signature policy. */
    public static PolicyResult signatureSetNotSatisfied() {
        return NOT_SATISFIED;
    }

    /** A failure with the given code and message. */
    public static PolicyResult failure(Code code, String message) {
        if (code == Code.SATISFIED) {
            throw new IllegalArgumentException("a failure needs a failure code");
        }
        return new PolicyResult(code, message);
    }

    /** {@code true} only for {@link Code#SATISFIED}. */
    public boolean isSatisfied() {
        return code == Code.SATISFIED;
    }

    @Override
    public String toString() {
        return isSatisfied() ? "SATISFIED" : code + ": " + message;
    }
}
