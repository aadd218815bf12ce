package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterAcceptanceTest.assertCodes;
import static dev.fabricembedded.peer.committer.CommitterNetwork.OR_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.client1;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.devca.NodeRole;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-transaction checks of §6.2 and the structural checks of §6.3, each producing its own code, all in one
 * block validated in parallel next to a valid transaction that is committed regardless.
 */
class TransactionChecksTest {

    @TempDir
    Path dir;

    private CommitterNetwork net;

    @BeforeEach
    void open() {
        net = new CommitterNetwork(dir);
        assertCodes(net.commit(deploy("mycc", "1.0", OR_POLICY).build()), TxValidationCode.VALID);
    }

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void everyMalformedOrForgedTransactionGetsItsOwnCodeAndTheValidOneIsCommitted() {
        Envelope valid = invoke("mycc", "1.0").writes("mycc", "k", "v").build();
        Envelope garbagePayload = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff}))
                .setSignature(ByteString.copyFromUtf8("sig")).build();
        Envelope noHeader = resigned(valid, payload -> payload.toBuilder().clearHeader().build());
        Envelope epoch = invoke("mycc", "1.0").proposal(p -> p.epoch(1)).writes("mycc", "k", "e").build();
        Envelope badSignature = valid.toBuilder().setSignature(flipLastByte(valid.getSignature())).build();
        Envelope outsider = invoke("mycc", "1.0").creator(CommitterNetwork.Orgs.OUTSIDER.signer(NodeRole.CLIENT))
                .writes("mycc", "k", "o").build();
        Envelope badTxId = invoke("mycc", "1.0").proposal(p -> p.txId("0123")).writes("mycc", "k", "t").build();
        Envelope configUpdate = invoke("mycc", "1.0").proposal(p -> p.headerType(2)).writes("mycc", "k", "c")
                .build();
        Envelope token = invoke("mycc", "1.0").proposal(p -> p.headerType(9)).writes("mycc", "k", "t").build();
        Envelope proposalHash = resigned(invoke("mycc", "1.0").writes("mycc", "k", "h").build(),
                payload -> withActionPayload(payload, cap -> cap.toBuilder()
                        .setChaincodeProposalPayload(ByteString.copyFromUtf8("another input")).build()));
        Envelope twoActions = resigned(invoke("mycc", "1.0").writes("mycc", "k", "2").build(), payload -> {
            Transaction tx = parse(payload.getData(), Transaction.parser());
            return payload.toBuilder().setData(tx.toBuilder().addActions(tx.getActions(0)).build().toByteString())
                    .build();
        });
        Envelope badRwset = invoke("mycc", "1.0").rawResults(ByteString.copyFrom(new byte[] {10, 5, 1}))
                .build();
        Envelope inconsistent = invoke("mycc", "1.0").actionChaincode("other", "1.0").writes("mycc", "k", "i")
                .build();
        Envelope wrongEvent = invoke("mycc", "1.0").writes("mycc", "k", "w")
                .rawEvent(ChaincodeEvent.newBuilder().setChaincodeId("other").setEventName("e").build()
                        .toByteString()).build();
        Envelope unknownChaincode = invoke("nocc", "1.0").writes("nocc", "k", "u").build();

        List<ByteString> data = List.of(valid.toByteString(), ByteString.EMPTY,
                ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}), garbagePayload.toByteString(),
                noHeader.toByteString(), epoch.toByteString(), badSignature.toByteString(), outsider.toByteString(),
                badTxId.toByteString(), configUpdate.toByteString(), token.toByteString(),
                proposalHash.toByteString(), twoActions.toByteString(), badRwset.toByteString(),
                inconsistent.toByteString(), wrongEvent.toByteString(), unknownChaincode.toByteString());
        CommittedBlock block = net.committer.commit(net.nextBlockOf(data));

        assertCodes(block,
                TxValidationCode.VALID,
                TxValidationCode.NIL_ENVELOPE,
                TxValidationCode.INVALID_OTHER_REASON,
                TxValidationCode.BAD_PAYLOAD,
                TxValidationCode.BAD_COMMON_HEADER,
                TxValidationCode.BAD_COMMON_HEADER,
                TxValidationCode.BAD_CREATOR_SIGNATURE,
                TxValidationCode.BAD_CREATOR_SIGNATURE,
                TxValidationCode.BAD_PROPOSAL_TXID,
                TxValidationCode.UNSUPPORTED_TX_PAYLOAD,
                TxValidationCode.UNKNOWN_TX_TYPE,
                TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                TxValidationCode.BAD_RWSET,
                TxValidationCode.INVALID_OTHER_REASON,
                TxValidationCode.INVALID_OTHER_REASON,
                TxValidationCode.INVALID_OTHER_REASON);
        List<String> messages = block.transactions().stream().map(CommittedTransaction::message).toList();
        assertThat(messages.get(4)).isEqualTo("nil header");
        assertThat(messages.get(5)).isEqualTo("invalid Epoch in ChannelHeader. Expected 0, got [1]");
        assertThat(messages.get(6)).startsWith("creator's signature over the proposal is not valid");
        assertThat(messages.get(7)).startsWith("MSP error: ");
        assertThat(messages.get(8)).startsWith("invalid txid. got [0123], expected [");
        assertThat(messages.get(11)).isEqualTo("proposal hash does not match");
        assertThat(messages.get(12)).isEqualTo("only one action per transaction is supported, tx contains 2");
        assertThat(messages.get(14)).isEqualTo("inconsistent ccid info (mycc/other)");
        assertThat(messages.get(15))
                .isEqualTo("chaincode event chaincode id does not match chaincode action chaincode id");
        assertThat(messages.get(16)).isEqualTo("lscc's state for [nocc] not found.");
        assertThat(block.transactions().get(0).txId()).isEqualTo(txId(valid));
        assertThat(block.transactions().get(8).txId()).isEqualTo("0123");
        assertThat(net.state("mycc", "k")).isEqualTo("v".getBytes());
        assertThat(net.ledger.transactionById(txId(valid)).orElseThrow().validationCode())
                .isEqualTo(TxValidationCode.VALID);
    }

    /** The envelope with its payload changed and signed again by its creator (client1). */
    private static Envelope resigned(Envelope envelope, UnaryOperator<Payload> change) {
        Payload payload = change.apply(parse(envelope.getPayload(), Payload.parser()));
        ByteString bytes = payload.toByteString();
        return Envelope.newBuilder().setPayload(bytes)
                .setSignature(ByteString.copyFrom(client1().sign(bytes.toByteArray()))).build();
    }

    private static Payload withActionPayload(Payload payload, UnaryOperator<ChaincodeActionPayload> change) {
        Transaction tx = parse(payload.getData(), Transaction.parser());
        ChaincodeActionPayload cap = change.apply(parse(tx.getActions(0).getPayload(),
                ChaincodeActionPayload.parser()));
        Transaction changed = tx.toBuilder().setActions(0, tx.getActions(0).toBuilder()
                .setPayload(cap.toByteString())).build();
        return payload.toBuilder().setData(changed.toByteString()).build();
    }

    private static ByteString flipLastByte(ByteString bytes) {
        byte[] copy = bytes.toByteArray();
        copy[copy.length - 1] ^= 0x01;
        return ByteString.copyFrom(copy);
    }

    private static String txId(Envelope envelope) {
        Payload payload = parse(envelope.getPayload(), Payload.parser());
        return parse(payload.getHeader().getChannelHeader(), ChannelHeader.parser()).getTxId();
    }

    private static <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
