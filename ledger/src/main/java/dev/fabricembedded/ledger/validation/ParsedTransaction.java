package dev.fabricembedded.ledger.validation;

import com.google.protobuf.Timestamp;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.List;

/**
 * What the ledger needs of one transaction of a block.
 *
 * @param index        position in the block
 * @param txId         the channel header's {@code tx_id} ("" if none or unreadable)
 * @param headerType   the channel header's type ({@code -1} if unreadable)
 * @param timestamp    the channel header's timestamp (default instance if none)
 * @param rwsets       the public read-write sets of an endorser transaction (empty otherwise)
 * @param parseFailure the code the ledger assigns because the transaction cannot be read (null if it can)
 */
public record ParsedTransaction(int index, String txId, int headerType, Timestamp timestamp,
                                List<NamespaceRwSet> rwsets, TxValidationCode parseFailure) {

    /** True for {@code ENDORSER_TRANSACTION}, the only type whose writes reach the state. */
    public boolean isEndorserTransaction() {
        return headerType == HeaderType.ENDORSER_TRANSACTION_VALUE;
    }
}
