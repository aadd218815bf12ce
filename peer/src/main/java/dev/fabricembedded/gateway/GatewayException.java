package dev.fabricembedded.gateway;

import java.io.Serial;
import java.util.Optional;

/**
 * A gateway operation failed: an endorsement ({@link EndorseException}), the transaction's assembly, ordering or the
 * wait for its commit ({@link SubmitException}), or its validation ({@link CommitException}). Each carries
 * Fabric's text and, where Fabric has one, its status or code; {@link #txId()} names the transaction when it had
 * one.
 */
public abstract sealed class GatewayException extends RuntimeException
        permits EndorseException, SubmitException, CommitException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String txId;

    GatewayException(final String txId, final String message, final Throwable cause) {
        super(message, cause);
        this.txId = txId;
    }

    /** The transaction id, when the failure concerns a built proposal. */
    public Optional<String> txId() {
        return Optional.ofNullable(txId);
    }
}
