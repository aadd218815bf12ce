package dev.fabricembedded.peer.committer;

import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The {@link TxValidator}'s verdict on one transaction, before the ledger's MVCC check (fabric-1.4-flow.md §6.1-§6.6).
 *
 * @param index             position in the block
 * @param txId              the channel header's transaction id, empty when the header could not be read
 * @param code              the code written to {@code TRANSACTIONS_FILTER}; never {@code NOT_VALIDATED}
 * @param message           why it is invalid (Fabric's text where Fabric has one), empty when valid
 * @param chaincodeEvent    the chaincode event the transaction carries, present only when valid
 * @param invokedChaincode  the chaincode named by the header extension ({@code lscc} for a deploy or an upgrade),
 *                          empty for other transaction types or invalid transactions
 * @param upgradedChaincode the chaincode a valid lscc upgrade upgrades, empty otherwise
 */
public record ValidatedTransaction(int index, String txId, TxValidationCode code, String message,
                                   Optional<ChaincodeEvent> chaincodeEvent, String invokedChaincode,
                                   String upgradedChaincode) {

    public ValidatedTransaction {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(chaincodeEvent, "chaincodeEvent");
        Objects.requireNonNull(invokedChaincode, "invokedChaincode");
        Objects.requireNonNull(upgradedChaincode, "upgradedChaincode");
        if (code == TxValidationCode.NOT_VALIDATED || code == TxValidationCode.UNRECOGNIZED) {
            throw new IllegalArgumentException("transaction " + index + " has no final code: " + code);
        }
    }

    /** An invalid transaction. */
    static ValidatedTransaction invalid(int index, String txId, TxValidationCode code, String message) {
        return new ValidatedTransaction(index, txId, code, message, Optional.empty(), "", "");
    }

    /** {@code true} only for {@code VALID}. */
    public boolean isValid() {
        return code == TxValidationCode.VALID;
    }

    /** The same transaction marked invalid by a block-level pass (§6.6). */
    ValidatedTransaction invalidate(TxValidationCode newCode, String newMessage) {
        return new ValidatedTransaction(index, txId, newCode, newMessage, Optional.empty(), invokedChaincode,
                upgradedChaincode);
    }
}
