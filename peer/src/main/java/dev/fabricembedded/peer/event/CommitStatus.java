package dev.fabricembedded.peer.event;

import dev.fabricembedded.peer.committer.CommittedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.Objects;

/**
 * Where and how a transaction was committed (Fabric Gateway's {@code CommitStatusResponse}): the block holding it and
 * its final validation code.
 *
 * @param blockNumber the block that holds the transaction
 * @param transaction the transaction's outcome in that block
 */
public record CommitStatus(long blockNumber, CommittedTransaction transaction) {

    public CommitStatus {
        Objects.requireNonNull(transaction, "transaction");
    }

    /** The transaction id. */
    public String txId() {
        return transaction.txId();
    }

    /** The final validation code. */
    public TxValidationCode code() {
        return transaction.code();
    }

    /** {@code true} only for {@code VALID}. */
    public boolean isValid() {
        return transaction.isValid();
    }
}
