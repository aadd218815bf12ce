package dev.fabricembedded.msp.crypto;

import java.util.Objects;

/**
 * The outcome of checking one signature: a code for programs and Fabric's message for people.
 *
 * <p>A bad signature is an expected outcome on the validation path (tampered proposals, forged endorsements),
 * so it is a value, not an exception. The messages are those of Fabric's {@code identity.Verify} and
 * {@code bccsp/sw} so that logs and client-visible errors read the same as on a Fabric peer.
 *
 * @param code    what happened
 * @param message empty when valid, otherwise Fabric's text naming the problem
 */
public record VerificationResult(Code code, String message) {

    /** Signature check outcomes. */
    public enum Code {
        /** The signature is a valid low-S ECDSA signature over {@code H(message)} by the key. */
        VALID,
        /** The bytes are not a DER {@code SEQUENCE { INTEGER r, INTEGER s }} with positive r and s. */
        MALFORMED,
        /** r and s verify, or might, but s is in the upper half of the group order (malleable form). */
        HIGH_S,
        /** Well-formed and low-S, but not a signature over this message by this key. */
        INVALID,
        /** The key cannot verify ECDSA signatures (not an EC public key). */
        UNSUPPORTED_KEY
    }

    private static final VerificationResult VALID = new VerificationResult(Code.VALID, "");

    public VerificationResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The shared valid result. */
    public static VerificationResult valid() {
        return VALID;
    }

    /** A failed check with the given code and message. */
    public static VerificationResult failure(Code code, String message) {
        if (code == Code.VALID) {
            throw new IllegalArgumentException("a failure needs a failure code");
        }
        return new VerificationResult(code, message);
    }

    /** {@code true} only for {@link Code#VALID}. */
    public boolean isValid() {
        return code == Code.VALID;
    }

    @Override
    public String toString() {
        return isValid() ? "VALID" : code + ": " + message;
    }
}
