package dev.fabricembedded.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.block.TransactionRecord;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import dev.fabricembedded.peer.event.CommitStatus;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.Optional;

/**
 * Reads what the events need from a transaction already in the ledger: its id, its chaincode event, its outcome.
 * Stateless.
 */
final class LedgerTransactions {

    private LedgerTransactions() {
    }

    /** The commit status of a stored transaction (the ledger keeps its code, not the reason: the code names it). */
    static CommitStatus status(final TransactionRecord record) {
        final TxValidationCode code = record.validationCode();
        final boolean valid = code == TxValidationCode.VALID;
        final CommittedTransaction transaction = new CommittedTransaction(record.txIndex(),
                txId(record.envelope()), code, valid ? "" : "transaction committed as " + code,
                valid ? chaincodeEvent(record.envelope()) : Optional.empty());
        return new CommitStatus(record.blockNumber(), transaction);
    }

    /** The channel header's transaction id, empty if the envelope cannot be read. */
    static String txId(final Envelope envelope) {
        try {
            final Payload payload = Payload.parseFrom(envelope.getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    /** The chaincode event an endorser transaction carries, if it set one. */
    static Optional<ChaincodeEvent> chaincodeEvent(final Envelope envelope) {
        try {
            final Payload payload = Payload.parseFrom(envelope.getPayload());
            final ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (header.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                return Optional.empty();
            }
            final Transaction transaction = Transaction.parseFrom(payload.getData());
            if (transaction.getActionsCount() == 0) {
                return Optional.empty();
            }
            final ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(
                    transaction.getActions(0).getPayload());
            final ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(
                    action.getAction().getProposalResponsePayload());
            final ByteString events = ChaincodeAction.parseFrom(prp.getExtension()).getEvents();
            return events.isEmpty() ? Optional.empty() : Optional.of(ChaincodeEvent.parseFrom(events));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }
}
