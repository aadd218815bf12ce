package dev.fabricembedded.orderer;

import java.util.Objects;

/**
 * An ordering-service operation other than broadcast failed (broadcast answers with a status instead): a channel
 * that does not exist or already exists, a genesis block that is not valid, an orderer identity the channel does
 * not accept as block signer, a data directory in use, storage failures, or a closed service. The
 * {@link #reason()} says which; the message names the channel and the problem.
 */
public final class OrdererException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Reason {
        /** No channel with this id. */
        CHANNEL_NOT_FOUND,
        /** The channel exists with a different genesis block. */
        CHANNEL_EXISTS,
        /** The block is not a valid genesis block. */
        INVALID_GENESIS_BLOCK,
        /** The configuration is valid but this orderer cannot serve it (e.g. a consensus type other than solo). */
        UNSUPPORTED_CONFIG,
        /** The orderer's identity does not satisfy the channel's {@code /Channel/Orderer/BlockValidation}. */
        SIGNER_NOT_AUTHORIZED,
        /** The data directory is used by another orderer instance. */
        IN_USE,
        /** Reading or writing the chain failed. */
        STORAGE,
        /** The service is closed. */
        CLOSED
    }

    private final Reason reason;

    public OrdererException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public OrdererException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
