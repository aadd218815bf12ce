package dev.fabricembedded.peer.committer;

import dev.fabricembedded.ledger.validation.ParsedTransaction;
import java.util.Objects;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What a validator worker makes of one envelope: the verdict, and, when the checks parsed the transaction as far as
 * the ledger reads it (a transaction found valid), that parse in the ledger's terms, so that the committing thread
 * does not parse the envelope a second time to prepare the block ({@link TxValidator#prepare}).
 *
 * @param verdict the verdict before the block passes of §6.6
 * @param parsed  the ledger's view of the transaction ({@link dev.fabricembedded.ledger.validation.TransactionParser}'s
 *                result for the same bytes), or {@code null} when the checks stopped before reading all of it
 */
record CheckedTransaction(ValidatedTransaction verdict, ParsedTransaction parsed) {

    CheckedTransaction {
        Objects.requireNonNull(verdict, "verdict");
    }

    /** An invalid transaction, left for the ledger's own parser (invalid transactions are rare and cheap to parse). */
    static CheckedTransaction invalid(int index, String txId, TxValidationCode code, String message) {
        return new CheckedTransaction(ValidatedTransaction.invalid(index, txId, code, message), null);
    }
}
