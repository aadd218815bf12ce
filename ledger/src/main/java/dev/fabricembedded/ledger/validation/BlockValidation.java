package dev.fabricembedded.ledger.validation;

import dev.fabricembedded.ledger.state.KeyWrite;
import dev.fabricembedded.ledger.state.UpdateBatch;

import java.util.List;

/**
 * The outcome of validating a block in the ledger: the final flag of every transaction, the coalesced state
 * changes of the valid ones, and their key writes in block order for the history index.
 *
 * @param flags     final {@code TxValidationCode} per transaction (raw bytes, the block's TRANSACTIONS_FILTER)
 * @param batch     the state changes to apply
 * @param keyWrites every key written (value or delete) by a valid endorser transaction, in block order
 */
public record BlockValidation(byte[] flags, UpdateBatch batch, List<KeyWrite> keyWrites) {
}
