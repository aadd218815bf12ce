package dev.fabricembedded.gateway;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.io.Serial;
import java.util.Objects;

/**
 * A submitted transaction was committed as invalid: the block holds it with a validation code other than
 * {@code VALID} (e.g. {@code ENDORSEMENT_POLICY_FAILURE}, {@code MVCC_READ_CONFLICT}), and its writes were not
 * applied.
 */
public final class CommitException extends GatewayException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final TxValidationCode code;
    private final long blockNumber;

    CommitException(final String txId, final TxValidationCode code, final long blockNumber, final String reason) {
        super(txId, "transaction " + txId + " failed to commit with status code " + code.getNumber() + " (" + code
                + ") in block " + blockNumber + (reason.isEmpty() ? "" : ": " + reason), null);
        this.code = Objects.requireNonNull(code, "code");
        this.blockNumber = blockNumber;
    }

    /** The transaction's final validation code. */
    public TxValidationCode code() {
        return code;
    }

    /** The block holding the invalid transaction. */
    public long blockNumber() {
        return blockNumber;
    }
}
