package dev.fabricembedded.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.CollectionHashedReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.HashedRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a transaction's header and, for endorser transactions, its read-write set, turning unreadable parts into
 * the validation codes Fabric assigns (fabric-1.4-flow.md §6.8 step 1): an envelope that does not parse →
 * {@code INVALID_OTHER_REASON}, a payload → {@code BAD_PAYLOAD}, a channel header → {@code BAD_COMMON_HEADER};
 * no chaincode action (no action, empty payload, no extension, ...) → {@code NIL_TXACTION}; a read-write set that
 * does not unmarshal → {@code INVALID_OTHER_REASON}. Never throws for bad input. Stateless and thread-safe.
 */
public final class TransactionParser {

    private TransactionParser() {
    }

    /** Parses transaction {@code index} of a block from its envelope bytes. */
    public static ParsedTransaction parse(final int index, final ByteString envelopeBytes) {
        final Envelope envelope;
        final Payload payload;
        final ChannelHeader header;
        try {
            envelope = Envelope.parseFrom(envelopeBytes);
        } catch (InvalidProtocolBufferException e) {
            return failed(index, "", -1, Timestamp.getDefaultInstance(), TxValidationCode.INVALID_OTHER_REASON);
        }
        try {
            payload = Payload.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            return failed(index, "", -1, Timestamp.getDefaultInstance(), TxValidationCode.BAD_PAYLOAD);
        }
        try {
            if (!payload.hasHeader()) {
                return failed(index, "", -1, Timestamp.getDefaultInstance(), TxValidationCode.BAD_COMMON_HEADER);
            }
            header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            return failed(index, "", -1, Timestamp.getDefaultInstance(), TxValidationCode.BAD_COMMON_HEADER);
        }
        final String txId = header.getTxId();
        final Timestamp timestamp = header.getTimestamp();
        if (header.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            return new ParsedTransaction(index, txId, header.getType(), timestamp, List.of(), null);
        }
        final ChaincodeAction action;
        try {
            action = chaincodeAction(payload.getData());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return failed(index, txId, header.getType(), timestamp, TxValidationCode.NIL_TXACTION);
        }
        try {
            return new ParsedTransaction(index, txId, header.getType(), timestamp, rwsets(action.getResults()), null);
        } catch (InvalidProtocolBufferException e) {
            return failed(index, txId, header.getType(), timestamp, TxValidationCode.INVALID_OTHER_REASON);
        }
    }

    /** Fabric's {@code GetActionFromEnvelope}: the first action's {@code ChaincodeAction}. */
    private static ChaincodeAction chaincodeAction(final ByteString transactionBytes)
            throws InvalidProtocolBufferException {
        final Transaction transaction = Transaction.parseFrom(transactionBytes);
        if (transaction.getActionsCount() == 0) {
            throw new IllegalArgumentException("at least one TransactionAction required");
        }
        final ChaincodeActionPayload actionPayload =
                ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
        if (!actionPayload.hasAction() || actionPayload.getAction().getProposalResponsePayload().isEmpty()) {
            throw new IllegalArgumentException("no payload in ChaincodeActionPayload");
        }
        final ProposalResponsePayload response =
                ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload());
        if (response.getExtension().isEmpty()) {
            throw new IllegalArgumentException("response payload is missing extension");
        }
        return ChaincodeAction.parseFrom(response.getExtension());
    }

    /** The public namespace read-write sets of serialized {@code TxReadWriteSet} bytes. */
    public static List<NamespaceRwSet> rwsets(final ByteString results) throws InvalidProtocolBufferException {
        final TxReadWriteSet set = TxReadWriteSet.parseFrom(results);
        final List<NamespaceRwSet> namespaces = new ArrayList<>(set.getNsRwsetCount());
        for (NsReadWriteSet ns : set.getNsRwsetList()) {
            namespaces.add(new NamespaceRwSet(ns.getNamespace(), KVRWSet.parseFrom(ns.getRwset())));
            // private data is not supported, but a garbage hashed set makes the rwset garbage, as in Fabric
            for (CollectionHashedReadWriteSet collection : ns.getCollectionHashedRwsetList()) {
                HashedRWSet.parseFrom(collection.getHashedRwset());
            }
        }
        return namespaces;
    }

    private static ParsedTransaction failed(final int index, final String txId, final int type,
                                            final Timestamp timestamp, final TxValidationCode code) {
        return new ParsedTransaction(index, txId, type, timestamp, List.of(), code);
    }
}
