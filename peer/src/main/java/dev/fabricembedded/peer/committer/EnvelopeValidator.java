package dev.fabricembedded.peer.committer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.proposal.TxId;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.InvalidIdentityException;
import dev.fabricembedded.msp.ValidationResult;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.InvalidChannelConfigException;
import dev.fabricembedded.scc.vscc.TxValidationResult;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The per-transaction checks of the committer (Fabric's {@code validateTx} and {@code ValidateTransaction},
 * fabric-1.4-flow.md §6.2), in Fabric's order and with its codes: envelope, payload, common header, creator
 * signature (verified once, here), txid, endorser-transaction structure and proposal hash, replay against the
 * ledger's txid index, VSCC ({@link VsccValidator}), the invoked and upgraded chaincodes, and configuration
 * transactions. Each part of the envelope is parsed once and handed on.
 *
 * <p>Expected failures are codes in the returned verdict; a transaction found valid also comes with its parse in the
 * ledger's terms ({@link CheckedTransaction#parsed}: header fields and public read-write sets, taken from the parts
 * these checks parsed), so that the envelope is parsed once on the whole commit path. An execution failure (a
 * validation plugin that cannot run, a state or index read that fails, a configuration that cannot be applied) is
 * thrown and aborts the block. Stateless and thread-safe: the validator workers share one instance.
 */
final class EnvelopeValidator {

    static final int CONFIG = 1;
    static final int CONFIG_UPDATE = 2;
    static final int ENDORSER_TRANSACTION = 3;
    static final int TOKEN_TRANSACTION = 9;

    private static final String LSCC = "lscc";

    private final VsccValidator vscc = new VsccValidator();

    /**
     * Validates transaction {@code index} of the block.
     *
     * @throws RuntimeException on an execution failure (the block must not be committed)
     */
    CheckedTransaction validate(int index, ByteString data, BlockContext context) {
        if (data.isEmpty()) {
            // the Java form of Go's nil envelope: a data entry with nothing in it
            return CheckedTransaction.invalid(index, "", TxValidationCode.NIL_ENVELOPE, "Nil tx from block");
        }
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(index, "", TxValidationCode.INVALID_OTHER_REASON,
                    "Error getting tx from block: " + e.getMessage());
        }
        Payload payload;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(index, "", TxValidationCode.BAD_PAYLOAD,
                    "error unmarshaling Payload: " + e.getMessage());
        }
        if (!payload.hasHeader()) {
            return CheckedTransaction.invalid(index, "", TxValidationCode.BAD_COMMON_HEADER, "nil header");
        }
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(index, "", TxValidationCode.BAD_COMMON_HEADER,
                    "error unmarshaling ChannelHeader: " + e.getMessage());
        }
        String txId = channelHeader.getTxId();
        try {
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.BAD_COMMON_HEADER,
                    "error unmarshaling SignatureHeader: " + e.getMessage());
        }
        String headerProblem = commonHeaderProblem(channelHeader, signatureHeader);
        if (headerProblem != null) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.BAD_COMMON_HEADER, headerProblem);
        }
        String signatureProblem = creatorSignatureProblem(signatureHeader.getCreator(), envelope, context);
        if (signatureProblem != null) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.BAD_CREATOR_SIGNATURE,
                    signatureProblem);
        }
        return switch (channelHeader.getType()) {
            case ENDORSER_TRANSACTION -> endorserTransaction(index, envelope, payload, channelHeader,
                    signatureHeader, context);
            case CONFIG -> configTransaction(index, envelope, payload, channelHeader, context);
            case TOKEN_TRANSACTION -> {
                String txIdProblem = txIdProblem(txId, signatureHeader);
                yield txIdProblem != null
                        ? CheckedTransaction.invalid(index, txId, TxValidationCode.BAD_PROPOSAL_TXID, txIdProblem)
                        // token support is commented out in Fabric 1.4
                        : CheckedTransaction.invalid(index, txId, TxValidationCode.UNKNOWN_TX_TYPE,
                                "Unknown transaction type [" + channelHeader.getType() + "] in block number ["
                                        + context.blockNumber() + "] transaction index [" + index + "]");
            }
            default -> CheckedTransaction.invalid(index, txId, TxValidationCode.UNSUPPORTED_TX_PAYLOAD,
                    "unsupported transaction payload type " + channelHeader.getType());
        };
    }

    private CheckedTransaction endorserTransaction(int index, Envelope envelope, Payload payload,
                                                     ChannelHeader channelHeader, SignatureHeader signatureHeader,
                                                     BlockContext context) {
        String txId = channelHeader.getTxId();
        String txIdProblem = txIdProblem(txId, signatureHeader);
        if (txIdProblem != null) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.BAD_PROPOSAL_TXID, txIdProblem);
        }
        EndorserTransactionParts parts;
        try {
            parts = endorserTransactionParts(envelope, payload, channelHeader, signatureHeader);
        } catch (InvalidEndorserTransaction e) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                    e.getMessage());
        }
        if (context.ledger().containsTxId(txId)) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.DUPLICATE_TXID,
                    "Duplicate transaction found, " + txId + ", skipping");
        }
        VsccValidator.Outcome outcome = vscc.validate(parts, context);
        TxValidationResult result = outcome.result();
        if (!result.isValid()) {
            return CheckedTransaction.invalid(index, txId, result.code(), result.message());
        }
        ChaincodeHeaderExtension extension = outcome.headerExtension().orElseThrow();
        String invoked = extension.getChaincodeId().getName();
        String upgraded;
        try {
            upgraded = LSCC.equals(invoked) ? upgradedChaincode(parts.actionPayload()) : "";
        } catch (InvalidProtocolBufferException e) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.INVALID_OTHER_REASON,
                    "Get txCCInstance failed: " + e.getMessage());
        }
        return new CheckedTransaction(new ValidatedTransaction(index, txId, TxValidationCode.VALID, "",
                outcome.action().flatMap(EnvelopeValidator::event), invoked, upgraded),
                new ParsedTransaction(index, txId, channelHeader.getType(), channelHeader.getTimestamp(),
                        outcome.rwsets(), null));
    }

    private static CheckedTransaction configTransaction(int index, Envelope envelope, Payload payload,
                                                          ChannelHeader channelHeader, BlockContext context) {
        String txId = channelHeader.getTxId();
        if (payload.getData().isEmpty()) {
            return CheckedTransaction.invalid(index, txId, TxValidationCode.INVALID_CONFIG_TRANSACTION,
                    "nil arguments");
        }
        // Fabric applies the configuration here; an error aborts the block (§6.2 step 12)
        ChannelConfig config;
        try {
            config = ChannelConfig.fromConfigEnvelope(envelope);
        } catch (InvalidChannelConfigException e) {
            throw new IllegalStateException("error validating config which passed initial validity checks: "
                    + e.getMessage(), e);
        }
        if (!config.channelId().equals(context.channel().channelId())) {
            throw new IllegalStateException("config transaction for channel " + config.channelId()
                    + " in a block of channel " + context.channel().channelId());
        }
        return new CheckedTransaction(new ValidatedTransaction(index, txId, TxValidationCode.VALID, "",
                Optional.empty(), "", ""),
                new ParsedTransaction(index, txId, channelHeader.getType(), channelHeader.getTimestamp(), List.of(),
                        null));
    }

    /** Fabric's {@code validateChannelHeader} and {@code validateSignatureHeader}; {@code null} when fine. */
    private static String commonHeaderProblem(ChannelHeader channelHeader, SignatureHeader signatureHeader) {
        int type = channelHeader.getType();
        if (type != ENDORSER_TRANSACTION && type != CONFIG_UPDATE && type != CONFIG && type != TOKEN_TRANSACTION) {
            return "invalid header type " + type;
        }
        if (channelHeader.getEpoch() != 0) {
            return "invalid Epoch in ChannelHeader. Expected 0, got [" + channelHeader.getEpoch() + "]";
        }
        return signatureHeaderProblem(signatureHeader);
    }

    private static String signatureHeaderProblem(SignatureHeader signatureHeader) {
        if (signatureHeader.getNonce().isEmpty()) {
            return "invalid nonce specified in the header";
        }
        if (signatureHeader.getCreator().isEmpty()) {
            return "invalid creator specified in the header";
        }
        return null;
    }

    /**
     * Fabric's {@code checkSignatureFromCreator}: the creator deserializes with the channel's MSPs (which cache
     * identities by their bytes), is valid (memoised per identity), and signed the payload. The only signature
     * verification of the creator on the commit path.
     */
    private static String creatorSignatureProblem(ByteString creator, Envelope envelope, BlockContext context) {
        if (envelope.getSignature().isEmpty() || envelope.getPayload().isEmpty()) {
            return "nil arguments";
        }
        Identity identity;
        try {
            identity = context.channel().config().mspManager().deserializeIdentity(creator);
        } catch (InvalidIdentityException | IllegalArgumentException e) {
            return "MSP error: " + e.getMessage();
        }
        ValidationResult valid = identity.validate();
        if (!valid.isValid()) {
            return "creator certificate is not valid: " + valid.message();
        }
        VerificationResult verified = identity.verify(envelope.getPayload(), envelope.getSignature());
        if (!verified.isValid()) {
            return "creator's signature over the proposal is not valid: " + verified.message();
        }
        return null;
    }

    private static String txIdProblem(String txId, SignatureHeader signatureHeader) {
        String expected = TxId.compute(signatureHeader.getNonce(), signatureHeader.getCreator());
        return expected.equals(txId) ? null : "invalid txid. got [" + txId + "], expected [" + expected + "]";
    }

    /**
     * Fabric's {@code validateEndorserTransaction}: exactly one action, its signature header with nonce and creator,
     * and {@code H(channel header ‖ action header ‖ chaincode proposal payload) == proposal_hash}, over the bytes as
     * they appear in the transaction.
     */
    private static EndorserTransactionParts endorserTransactionParts(Envelope envelope, Payload payload,
                                                                     ChannelHeader channelHeader,
                                                                     SignatureHeader signatureHeader)
            throws InvalidEndorserTransaction {
        try {
            Transaction transaction = Transaction.parseFrom(payload.getData());
            if (transaction.getActionsCount() != 1) {
                throw new InvalidEndorserTransaction("only one action per transaction is supported, tx contains "
                        + transaction.getActionsCount());
            }
            TransactionAction action = transaction.getActions(0);
            String actionHeaderProblem = signatureHeaderProblem(SignatureHeader.parseFrom(action.getHeader()));
            if (actionHeaderProblem != null) {
                throw new InvalidEndorserTransaction(actionHeaderProblem);
            }
            ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
            if (!actionPayload.hasAction()) {
                throw new InvalidEndorserTransaction("nil ChaincodeEndorsedAction");
            }
            ProposalResponsePayload responsePayload =
                    ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload());
            MessageDigest digest = Sha256.newDigest();
            Sha256.update(digest, payload.getHeader().getChannelHeader());
            Sha256.update(digest, action.getHeader());
            Sha256.update(digest, actionPayload.getChaincodeProposalPayload());
            if (!MessageDigest.isEqual(digest.digest(), responsePayload.getProposalHash().toByteArray())) {
                throw new InvalidEndorserTransaction("proposal hash does not match");
            }
            return new EndorserTransactionParts(envelope, payload, channelHeader, signatureHeader, actionPayload,
                    responsePayload);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidEndorserTransaction(e.getMessage());
        }
    }

    /** Fabric's {@code getTxCCInstance} for lscc: the chaincode an {@code upgrade} upgrades, empty otherwise. */
    private static String upgradedChaincode(ChaincodeActionPayload actionPayload)
            throws InvalidProtocolBufferException {
        ChaincodeProposalPayload proposalPayload =
                ChaincodeProposalPayload.parseFrom(actionPayload.getChaincodeProposalPayload());
        ChaincodeInvocationSpec invocation = ChaincodeInvocationSpec.parseFrom(proposalPayload.getInput());
        List<ByteString> args = invocation.getChaincodeSpec().getInput().getArgsList();
        if (args.size() < 3 || !args.get(0).toStringUtf8().equals("upgrade")) {
            return "";
        }
        try {
            return ChaincodeDeploymentSpec.parseFrom(args.get(2)).getChaincodeSpec().getChaincodeId().getName();
        } catch (InvalidProtocolBufferException e) {
            return ""; // Fabric ignores an unreadable upgrade spec here (VSCC has rejected it already)
        }
    }

    private static Optional<ChaincodeEvent> event(ChaincodeAction action) {
        if (action.getEvents().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ChaincodeEvent.parseFrom(action.getEvents()));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty(); // only possible without V1_2Validation, which rejects such a transaction
        }
    }

    /** A structurally invalid endorser transaction ({@code INVALID_ENDORSER_TRANSACTION}). */
    private static final class InvalidEndorserTransaction extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEndorserTransaction(String message) {
            super(message, null, false, false);
        }
    }
}
