package dev.fabricembedded.ledger.block;

import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A committed transaction looked up by id: its envelope, its place in the chain and its final validation code.
 *
 * @param blockNumber    number of the block holding the transaction
 * @param txIndex        position of the transaction in the block's data
 * @param validationCode the final code from the stored block's {@code TRANSACTIONS_FILTER}
 * @param envelope       the transaction as it was ordered
 */
public record TransactionRecord(long blockNumber, int txIndex, TxValidationCode validationCode, Envelope envelope) {

    /** The {@code ProcessedTransaction} QSCC's {@code GetTransactionByID} returns. */
    public ProcessedTransaction toProcessedTransaction() {
        return ProcessedTransaction.newBuilder()
                .setTransactionEnvelope(envelope)
                .setValidationCode(validationCode.getNumber())
                .build();
    }
}
