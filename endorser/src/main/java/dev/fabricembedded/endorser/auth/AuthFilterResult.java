package dev.fabricembedded.endorser.auth;

import java.util.Objects;

/**
 * The outcome of an {@link AuthFilter}: passed, or refused with the text the client receives.
 *
 * @param code    what happened
 * @param message empty when passed, otherwise Fabric's text
 */
public record AuthFilterResult(Code code, String message) {

    /** Filter outcomes. */
    public enum Code {
        /** The proposal may go on to the endorser. */
        PASSED,
        /** The proposal, its header or signature header does not parse ({@code failed parsing ...}). */
        MALFORMED_PROPOSAL,
        /** The creator's certificate is past its NotAfter: {@code identity expired}. */
        IDENTITY_EXPIRED,
        /** Refused by a filter of the host application. */
        REFUSED
    }

    private static final AuthFilterResult PASSED = new AuthFilterResult(Code.PASSED, "");

    public AuthFilterResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The shared passing result. */
    public static AuthFilterResult passed() {
        return PASSED;
    }

    /** A refusal. */
    public static AuthFilterResult refused(final Code code, final String message) {
        if (code == Code.PASSED) {
            throw new IllegalArgumentException("a refusal needs a refusal code");
        }
        return new AuthFilterResult(code, message);
    }

    /** {@code true} only for {@link Code#PASSED}. */
    public boolean isPassed() {
        return code == Code.PASSED;
    }

    @Override
    public String toString() {
        return isPassed() ? "PASSED" : code + ": " + message;
    }
}
