package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.ledger.block.BlockHashes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Real ledgers for the tests (small Chronicle files in a temporary directory) and commits of simulation results the
 * way Fabric carries them in a block (Transaction → ChaincodeActionPayload → ProposalResponsePayload →
 * ChaincodeAction.results). The ledger checks no signatures, so none are made.
 */
public final class TestLedgers {

    private TestLedgers() {
    }

    public static ChannelLedger open(final Path dir, final String channelId) {
        return ChannelLedger.builder(dir, channelId)
                .stateEntries(20_000).txIndexEntries(20_000).historyEntries(20_000)
                .averageKeySize(24).averageValueSize(32).maxValueSize(64 * 1024)
                .open();
    }

    /** Commits one valid transaction carrying {@code results} as the ledger's next block. */
    public static void commit(final ChannelLedger ledger, final String txId, final TxReadWriteSet results) {
        final ChaincodeAction action = ChaincodeAction.newBuilder().setResults(results.toByteString()).build();
        final ProposalResponsePayload prp = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFromUtf8("proposal-" + txId))
                .setExtension(action.toByteString()).build();
        final Transaction transaction = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setPayload(ChaincodeActionPayload.newBuilder().setAction(ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(prp.toByteString())).build().toByteString())).build();
        final Instant now = Instant.now();
        final ChannelHeader header = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setTxId(txId).setChannelId(ledger.channelId())
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
        final Envelope envelope = Envelope.newBuilder().setPayload(Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(transaction.toByteString()).build().toByteString())
                .setSignature(ByteString.copyFromUtf8("unchecked")).build();
        final BlockData data = BlockData.newBuilder().addAllData(List.of(envelope.toByteString())).build();
        final Block block = Block.newBuilder().setHeader(BlockHeader.newBuilder()
                .setNumber(ledger.height())
                .setPreviousHash(ledger.chainInfo().getCurrentBlockHash())
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))))
                .setData(data).build();
        final CommitResult committed = ledger.commit(block);
        if (committed.code(0) != TxValidationCode.VALID) {
            throw new AssertionError("transaction " + txId + " committed as " + committed.code(0));
        }
    }
}
