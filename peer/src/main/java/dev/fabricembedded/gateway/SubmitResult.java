package dev.fabricembedded.gateway;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A committed transaction as the submitting client sees it: its id, validation code, the chaincode's response
 * payload, the block that holds it, and how long each phase took: {@link #endorseTime()} (build and sign the proposal,
 * endorse on every endorsing peer) and {@link #orderAndCommitTime()} (assemble and sign the envelope, broadcast,
 * until the committing peer reported the commit). Immutable.
 */
public final class SubmitResult {

    private final String txId;
    private final TxValidationCode code;
    private final ByteString payload;
    private final long blockNumber;
    private final Duration endorseTime;
    private final Duration orderAndCommitTime;

    SubmitResult(final String txId, final TxValidationCode code, final ByteString payload, final long blockNumber,
            final Duration endorseTime, final Duration orderAndCommitTime) {
        this.txId = Objects.requireNonNull(txId, "txId");
        this.code = Objects.requireNonNull(code, "code");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.blockNumber = blockNumber;
        this.endorseTime = Objects.requireNonNull(endorseTime, "endorseTime");
        this.orderAndCommitTime = Objects.requireNonNull(orderAndCommitTime, "orderAndCommitTime");
    }

    public String txId() {
        return txId;
    }

    /** The validation code ({@code VALID}: an invalid transaction is a {@link CommitException}). */
    public TxValidationCode code() {
        return code;
    }

    /** The chaincode response's payload (a copy). */
    public byte[] payload() {
        return payload.toByteArray();
    }

    /** The chaincode response's payload as UTF-8 text. */
    public String payloadUtf8() {
        return payload.toStringUtf8();
    }

    /** The number of the block holding the transaction. */
    public long blockNumber() {
        return blockNumber;
    }

    /** Building, signing and endorsing the proposal. */
    public Duration endorseTime() {
        return endorseTime;
    }

    /** Assembling and signing the envelope, ordering, validating and committing it. */
    public Duration orderAndCommitTime() {
        return orderAndCommitTime;
    }

    /** The whole submission. */
    public Duration totalTime() {
        return endorseTime.plus(orderAndCommitTime);
    }

    @Override
    public String toString() {
        return "SubmitResult[" + txId + ", " + code + ", block " + blockNumber + ", payload "
                + payload.toString(StandardCharsets.UTF_8) + ", endorse " + endorseTime + ", order+commit "
                + orderAndCommitTime + "]";
    }
}
