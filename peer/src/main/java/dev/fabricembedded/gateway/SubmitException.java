package dev.fabricembedded.gateway;

import org.hyperledger.fabric.protos.common.Status;

import java.io.Serial;
import java.util.Objects;
import java.util.Optional;

/**
 * An endorsed transaction could not be submitted or its commit was not seen: {@link Reason} says where.
 * <ul>
 *   <li>{@link Reason#ASSEMBLY}: Fabric's {@code CreateSignedTx} refused the responses, with its text
 *   ({@code ProposalResponsePayloads do not match}, ...);</li>
 *   <li>{@link Reason#BROADCAST}: the ordering service answered other than {@code SUCCESS};
 *   {@link #broadcastStatus()} and the message carry its status and info;</li>
 *   <li>{@link Reason#COMMIT_TIMEOUT}: the transaction was ordered but no commit was seen within the gateway's
 *   commit timeout (it may still commit);</li>
 *   <li>{@link Reason#CHANNEL_UNAVAILABLE}: the committing peer has not joined the channel, stopped following it or
 *   closed.</li>
 * </ul>
 */
public final class SubmitException extends GatewayException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Where the submission failed. */
    public enum Reason {
        /** The transaction could not be assembled from the endorsements. */
        ASSEMBLY,
        /** The ordering service refused the transaction. */
        BROADCAST,
        /** No commit was seen in time. */
        COMMIT_TIMEOUT,
        /** The committing peer cannot report the commit. */
        CHANNEL_UNAVAILABLE
    }

    private final Reason reason;
    private final Status broadcastStatus;

    SubmitException(final Reason reason, final String txId, final String message, final Status broadcastStatus,
            final Throwable cause) {
        super(txId, message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.broadcastStatus = broadcastStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** The ordering service's status for {@link Reason#BROADCAST}. */
    public Optional<Status> broadcastStatus() {
        return Optional.ofNullable(broadcastStatus);
    }
}
