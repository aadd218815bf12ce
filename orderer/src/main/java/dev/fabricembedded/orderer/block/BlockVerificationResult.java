package dev.fabricembedded.orderer.block;

import java.util.Objects;

/**
 * The outcome of {@link BlockVerifier#verify}: a code for programs and Fabric's message ({@code peer/gossip/mcs.go
 * VerifyBlock}) for people. A block that fails verification is an expected event (a peer discards it), so it is a
 * value, not an exception.
 *
 * @param code    what happened
 * @param message empty when valid, otherwise the reason with the block number and channel
 */
public record BlockVerificationResult(Code code, String message) {

    /** Verification outcomes, in the order the checks run. */
    public enum Code {
        /** Every check passed. */
        VALID,
        /** The block has no header. */
        MISSING_HEADER,
        /** The header's number is not the one expected. */
        WRONG_NUMBER,
        /** The channel id in the block's first transaction cannot be read. */
        MALFORMED_CHANNEL_HEADER,
        /** The block belongs to another channel. */
        WRONG_CHANNEL,
        /** The block has no metadata. */
        MISSING_METADATA,
        /** The SIGNATURES metadata or a signature header does not parse. */
        MALFORMED_METADATA,
        /** {@code data_hash} is not the hash of the data. */
        DATA_HASH_MISMATCH,
        /** {@code previous_hash} is not the hash of the previous block's header (only when one was given). */
        WRONG_PREVIOUS_HASH,
        /** The signatures do not satisfy {@code /Channel/Orderer/BlockValidation}. */
        SIGNATURES_NOT_SATISFIED
    }

    private static final BlockVerificationResult VALID = new BlockVerificationResult(Code.VALID, "");

    public BlockVerificationResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The shared valid result. */
    public static BlockVerificationResult valid() {
        return VALID;
    }

    /** A failure. */
    public static BlockVerificationResult failure(Code code, String message) {
        if (code == Code.VALID) {
            throw new IllegalArgumentException("a failure needs a failure code");
        }
        return new BlockVerificationResult(code, message);
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
