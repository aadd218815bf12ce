package dev.fabricembedded.msp;

import java.util.Objects;

/**
 * The outcome of validating an identity against an MSP or checking it against a principal: a code for programs
 * and Fabric's message for people.
 *
 * <p>An identity that is not valid, or does not hold a role, is an expected outcome of transaction validation, so
 * it is a value rather than an exception. Messages reproduce Fabric 1.4's MSP texts, including the prefixes its
 * error wrapping adds (for example {@code could not validate identity against certification chain: The
 * certificate has been revoked}).
 *
 * @param code    what happened
 * @param message empty when valid, otherwise Fabric's text naming the problem
 */
public record ValidationResult(Code code, String message) {

    /** Validation outcomes. */
    public enum Code {
        /** The identity is valid / satisfies the principal. */
        VALID,
        /** No unique chain of length two or more to a root that is a leaf of the CA tree (or a CA used as identity). */
        INVALID_CHAIN,
        /** A CRL signed by the issuing CA lists the certificate's serial number. */
        REVOKED,
        /** The certificate's OUs do not meet the MSP's OU or NodeOU rules. */
        INVALID_OUS,
        /** The principal names another MSP. */
        DIFFERENT_MSP,
        /** An ADMIN principal and the identity is neither in {@code admincerts} nor carries the admin OU. */
        NOT_ADMIN,
        /** A CLIENT/PEER/ADMIN/ORDERER principal and the identity lacks that node OU. */
        ROLE_NOT_HELD,
        /** A node role was required but the MSP has NodeOUs disabled. */
        NODE_OUS_DISABLED,
        /** An IDENTITY or ORGANIZATION_UNIT principal that names someone else. */
        IDENTITY_MISMATCH,
        /** An ANONYMITY principal that X.509 identities cannot satisfy. */
        ANONYMITY_NOT_SUPPORTED,
        /** The principal itself cannot be decoded or has an unknown type or role. */
        INVALID_PRINCIPAL,
        /** A serialized identity that is not well formed (see {@code IdentityDeserializer#isWellFormed}). */
        MALFORMED_IDENTITY
    }

    private static final ValidationResult VALID = new ValidationResult(Code.VALID, "");

    public ValidationResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The shared valid result. */
    public static ValidationResult valid() {
        return VALID;
    }

    /** A failure with the given code and message. */
    public static ValidationResult failure(Code code, String message) {
        if (code == Code.VALID) {
            throw new IllegalArgumentException("a failure needs a failure code");
        }
        return new ValidationResult(code, message);
    }

    /** {@code true} only for {@link Code#VALID}. */
    public boolean isValid() {
        return code == Code.VALID;
    }

    /** The same failure with Fabric's wrapping prefix ({@code "<prefix>: <message>"}); a valid result unchanged. */
    public ValidationResult wrap(String prefix) {
        return isValid() ? this : new ValidationResult(code, prefix + ": " + message);
    }

    @Override
    public String toString() {
        return isValid() ? "VALID" : code + ": " + message;
    }
}
