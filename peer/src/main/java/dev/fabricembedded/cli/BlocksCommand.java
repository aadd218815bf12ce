package dev.fabricembedded.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.ledger.block.TxValidationFlags;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code blocks --data DIR --channel C}: the height of the channel's chain on a peer and one line per block (its
 * number, header hash, and each transaction's short txid, type or chaincode, and validation code).
 */
@Command(name = "blocks", description = "Print a channel's height and one line per block, as committed by a peer.")
final class BlocksCommand implements Callable<Integer> {

    @Mixin
    NetworkOptions options;

    @Mixin
    ChannelOptions channel;

    @Option(names = "--org", paramLabel = "ORG", defaultValue = "org1",
            description = "whose peer's ledger to read (default: ${DEFAULT-VALUE})")
    String org;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        try (EmbeddedNetwork network = options.open(console)) {
            channel.of(network);
            ChannelLedger ledger = network.channel(org).ledger();
            long height = ledger.height();
            console.line("channel %s on %s: height %d", ledger.channelId(),
                    network.layout().peerName(network.layout().organizationNumber(org)), height);
            for (long number = 0; number < height; number++) {
                Block block = ledger.blockStore().blockByNumber(number).orElseThrow(
                        () -> new IllegalStateException("block missing from the peer's ledger"));
                console.line(describe(block));
            }
        }
        return 0;
    }

    /** {@code block 2  hash 1a2b3c4d5e6f  1 tx: 9f8e7d6c example02 VALID}. */
    static String describe(Block block) {
        String hash = HexFormat.of().formatHex(BlockHashes.headerHash(block.getHeader())).substring(0, 16);
        TxValidationFlags flags = TxValidationFlags.fromBlock(block);
        List<String> transactions = new ArrayList<>();
        List<ByteString> data = block.getData().getDataList();
        for (int i = 0; i < data.size(); i++) {
            String code = i < flags.size() ? " " + flags.code(i) : "";
            transactions.add(describe(data.get(i)) + code);
        }
        return "block " + block.getHeader().getNumber() + "  hash " + hash + "  " + data.size() + " tx"
                + (transactions.isEmpty() ? "" : ": " + String.join(", ", transactions));
    }

    private static String describe(ByteString envelopeBytes) {
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(envelopeBytes).getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            HeaderType type = HeaderType.forNumber(header.getType());
            if (type == HeaderType.ENDORSER_TRANSACTION) {
                String chaincode = ChaincodeHeaderExtension.parseFrom(header.getExtension()).getChaincodeId()
                        .getName();
                return shortTxId(header.getTxId()) + " " + chaincode;
            }
            return (header.getTxId().isEmpty() ? "" : shortTxId(header.getTxId()) + " ")
                    + (type != null ? type.name() : "type " + header.getType());
        } catch (InvalidProtocolBufferException e) {
            return "(unreadable envelope)";
        }
    }

    private static String shortTxId(String txId) {
        return txId.length() > 8 ? txId.substring(0, 8) : txId;
    }
}
