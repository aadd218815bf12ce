package dev.fabricembedded.scc.vscc;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Transaction;

/**
 * The parts of an endorser transaction that validation reads, parsed once: envelope, payload, channel header and the
 * first action's {@code ChaincodeActionPayload}. Parsing failures are policy failures in Fabric's VSCC, so the
 * plugins' own parse reports them as a message.
 *
 * <p>A caller that has already parsed and checked the transaction (the committer's §6.2 checks: the payload has a
 * header, the type is {@code ENDORSER_TRANSACTION}, there is an action) builds this record from its parts and hands it
 * over in the {@link ValidationRequest}, so that the plugin does not parse the envelope again. The parts must be the
 * ones parsed from {@code envelope}; validation trusts them. Immutable.
 *
 * @param envelope      the transaction as ordered
 * @param payload       its payload
 * @param channelHeader the payload's channel header (type {@code ENDORSER_TRANSACTION})
 * @param actionPayload the first action's {@code ChaincodeActionPayload}
 */
public record EndorserTransaction(Envelope envelope, Payload payload, ChannelHeader channelHeader,
                                  ChaincodeActionPayload actionPayload) {

    public EndorserTransaction {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(channelHeader, "channelHeader");
        Objects.requireNonNull(actionPayload, "actionPayload");
    }

    /** Parses; the exception's message is the policy-failure text. */
    static EndorserTransaction parse(Envelope envelope) throws InvalidTransactionException {
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                throw new InvalidTransactionException("missing header in the payload");
            }
            ChannelHeader channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                throw new InvalidTransactionException("Only Endorser Transactions are supported, provided type "
                        + channelHeader.getType());
            }
            Transaction tx = Transaction.parseFrom(payload.getData());
            if (tx.getActionsCount() == 0) {
                throw new InvalidTransactionException("transaction has no actions");
            }
            ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(tx.getActions(0).getPayload());
            return new EndorserTransaction(envelope, payload, channelHeader, cap);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidTransactionException(e.getMessage());
        }
    }

    /** A transaction that does not parse as an endorser transaction. */
    static final class InvalidTransactionException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTransactionException(String message) {
            super(message);
        }
    }
}
