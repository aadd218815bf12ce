package dev.fabricembedded.peer.committer;

import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One transaction of a committed block, with its final validation code: the byte the stored block's
 * {@code TRANSACTIONS_FILTER} holds for it (fabric-1.4-flow.md §6.7), and the reason when it is invalid.
 *
 * @param index          position of the transaction in the block
 * @param txId           the channel header's transaction id (empty when the envelope could not be read)
 * @param code           the final code
 * @param message        why it is invalid (Fabric's text where Fabric has one); empty when valid
 * @param chaincodeEvent the event the chaincode set, present only for a valid transaction that set one
 */
public record CommittedTransaction(int index, String txId, TxValidationCode code, String message,
                                   Optional<ChaincodeEvent> chaincodeEvent) {

    public CommittedTransaction {
        if (index < 0) {
            throw new IllegalArgumentException("transaction index must not be negative, got " + index);
        }
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(chaincodeEvent, "chaincodeEvent");
        if (chaincodeEvent.isPresent() && code != TxValidationCode.VALID) {
            throw new IllegalArgumentException("only a valid transaction carries its chaincode event");
        }
    }

    /** {@code true} only for {@code VALID}. */
    public boolean isValid() {
        return code == TxValidationCode.VALID;
    }
}
