package dev.fabricembedded.ledger.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.fabricembedded.ledger.block.BlockHashes;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
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
import org.hyperledger.fabric.protos.peer.TransactionAction;

import java.util.List;

/**
 * Builds the envelopes and blocks the ledger tests commit: endorser transactions carrying a read-write set in
 * the place Fabric puts it (Transaction → ChaincodeActionPayload → ProposalResponsePayload → ChaincodeAction),
 * and blocks with correct numbers, previous hashes and data hashes. No signatures: the ledger does not check
 * them. Shared with the JMH benchmarks through the test jar.
 */
public final class TestBlocks {
    public static final String CHANNEL = "testchannel";

    private TestBlocks() {
    }

    /** An endorser transaction with this id carrying this read-write set. */
    public static ByteString endorserTx(final String txId, final TxReadWriteSet rwset) {
        return endorserTx(txId, rwset.toByteString(), 1_700_000_000L);
    }

    /** An endorser transaction with raw results bytes (possibly garbage) and a timestamp in seconds. */
    public static ByteString endorserTx(final String txId, final ByteString results, final long seconds) {
        final ChaincodeAction action = ChaincodeAction.newBuilder().setResults(results).build();
        final ProposalResponsePayload prp = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFromUtf8("hash-of-" + txId))
                .setExtension(action.toByteString()).build();
        final ChaincodeActionPayload cap = ChaincodeActionPayload.newBuilder()
                .setAction(ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(prp.toByteString()))
                .build();
        final Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setPayload(cap.toByteString())).build();
        return envelope(txId, HeaderType.ENDORSER_TRANSACTION, transaction.toByteString(), seconds);
    }

    /** An envelope of any header type with the given payload data. */
    public static ByteString envelope(final String txId, final HeaderType type, final ByteString data,
                                      final long seconds) {
        final ChannelHeader header = ChannelHeader.newBuilder()
                .setType(type.getNumber()).setTxId(txId).setChannelId(CHANNEL)
                .setTimestamp(Timestamp.newBuilder().setSeconds(seconds)).build();
        final Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(data).build();
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(ByteString.copyFromUtf8("not-checked")).build().toByteString();
    }

    /** A block with correct hashes and no metadata. */
    public static Block block(final long number, final byte[] previousHash, final List<ByteString> envelopes) {
        final BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        final BlockHeader header = BlockHeader.newBuilder().setNumber(number)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))).build();
        return Block.newBuilder().setHeader(header).setData(data).build();
    }

    /** A block with a TRANSACTIONS_FILTER (raw flags) in metadata slot 2. */
    public static Block block(final long number, final byte[] previousHash, final List<ByteString> envelopes,
                              final byte[] filter) {
        final Block block = block(number, previousHash, envelopes);
        return block.toBuilder().setMetadata(BlockMetadata.newBuilder()
                .addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                .addMetadata(ByteString.copyFrom(filter))).build();
    }
}
