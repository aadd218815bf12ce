package dev.fabricembedded.ledger.block;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Where a transaction id was first committed, and with which final validation code (the entry of Fabric's
 * txid index). Used for replay detection (any indexed id is a duplicate, whatever its code) and by QSCC.
 *
 * @param blockNumber    number of the block holding the transaction
 * @param txIndex        position of the transaction in the block's data
 * @param validationCode the final code from the stored block's {@code TRANSACTIONS_FILTER}
 */
public record TransactionLocation(long blockNumber, int txIndex, TxValidationCode validationCode) {
}
