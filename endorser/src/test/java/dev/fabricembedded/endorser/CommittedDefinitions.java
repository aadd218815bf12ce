package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.lscc.Lscc;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Writes LSCC definitions straight into a ledger: one unsigned transaction per definition carrying the write of
 * {@code lscc/<name>}, committed in its own block (the ledger validates versions, not signatures).
 */
final class CommittedDefinitions {

    /** Bytes that are no {@code ChaincodeData}: field 1 with the varint wire type. */
    static final byte[] GARBAGE = {0x08, 0x01};

    private final ChannelLedger ledger;
    private int sequence;

    CommittedDefinitions(final ChannelLedger ledger) {
        this.ledger = ledger;
    }

    /** Commits {@code definition} (or {@link #GARBAGE} when null) under {@code lscc/<name>}. */
    void put(final String name, final ChaincodeData definition) {
        final String txId = "definition-" + name + "-" + sequence++;
        final ByteString results;
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            simulator.setState(Lscc.NAME, name,
                    definition == null ? GARBAGE : definition.toByteString().toByteArray());
            results = simulator.getTxSimulationResults().toByteString();
        }
        final ProposalResponsePayload prp = ProposalResponsePayload.newBuilder()
                .setExtension(ChaincodeAction.newBuilder().setResults(results).build().toByteString()).build();
        final Transaction transaction = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setPayload(ChaincodeActionPayload.newBuilder().setAction(ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(prp.toByteString())).build().toByteString())).build();
        final ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(ledger.channelId()).setTxId(txId).build();
        final Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
                .setData(transaction.toByteString()).build();
        final BlockData data = BlockData.newBuilder()
                .addData(Envelope.newBuilder().setPayload(payload.toByteString()).build().toByteString()).build();
        final long number = ledger.height();
        final ByteString previous = number == 0 ? ByteString.EMPTY : ledger.chainInfo().getCurrentBlockHash();
        ledger.commit(Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(number).setPreviousHash(previous)
                        .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))))
                .setData(data).build());
    }
}
