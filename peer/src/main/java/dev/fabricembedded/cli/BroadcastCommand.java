package dev.fabricembedded.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.peer.PeerChannel;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import dev.fabricembedded.peer.event.Registration;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code broadcast --data DIR --envelope FILE}: orders a serialized transaction {@code Envelope} from any Fabric
 * client, waits until the peer commits it and prints its txid and validation code; exits 0 only if it is VALID. An
 * envelope the orderer refuses (§5.2) is the error line with the orderer's status and text.
 */
@Command(name = "broadcast", description = "Order a serialized transaction Envelope from any Fabric client, wait "
        + "for its commit and print its validation code.")
final class BroadcastCommand implements Callable<Integer> {

    @Mixin
    NetworkOptions options;

    @Option(names = "--envelope", paramLabel = "FILE", required = true, description = "serialized Envelope")
    Path envelopeFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long to wait for the commit (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--org", paramLabel = "ORG", defaultValue = "org1",
            description = "whose peer's commit to wait for (default: ${DEFAULT-VALUE})")
    String org;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        byte[] bytes = Files.readAllBytes(envelopeFile);
        Envelope envelope;
        ChannelHeader header;
        try {
            envelope = Envelope.parseFrom(bytes);
            header = ChannelHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(envelopeFile + " does not hold a transaction Envelope: "
                    + e.getMessage(), e);
        }
        if (header.getChannelId().isEmpty() || header.getTxId().isEmpty()) {
            throw new IllegalArgumentException(envelopeFile + " does not hold a transaction Envelope (no channel "
                    + "header with a channel and a txid)");
        }
        String txId = header.getTxId();
        try (EmbeddedNetwork network = options.open(console)) {
            PeerChannel channel = network.peer(org).channel(header.getChannelId()).orElseThrow(() ->
                    new IllegalArgumentException("channel " + header.getChannelId() + " does not exist: this "
                            + "network has channel " + network.channelId()));
            // the transaction of the next block holding this txid: a txid committed before is reported as the
            // committer judges the new copy (DUPLICATE_TXID), not as the first one was
            CompletableFuture<CommittedTransaction> committed = new CompletableFuture<>();
            CommittedTransaction tx;
            Registration registration = channel.onBlock(block -> block.transactions().stream()
                    .filter(t -> t.txId().equals(txId)).findFirst().ifPresent(committed::complete));
            try {
                tx = console.step("broadcast " + txId, () -> {
                    BroadcastResponse response = network.orderer().broadcast(envelope);
                    if (response.getStatus() != Status.SUCCESS) {
                        throw new CommandFailedException("the orderer rejected the envelope: " + response.getStatus()
                                + (response.getInfo().isEmpty() ? "" : ": " + response.getInfo()));
                    }
                    try {
                        return committed.get(timeoutSeconds, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        throw new CommandFailedException("transaction " + txId + " was ordered but not committed "
                                + "within " + timeoutSeconds + " s");
                    }
                });
            } finally {
                registration.close();
            }
            console.line("txid:            %s", tx.txId());
            console.line("validation code: %s", tx.code());
            if (tx.code() != TxValidationCode.VALID) {
                throw new CommandFailedException("transaction " + txId + " was committed as invalid: " + tx.code()
                        + (tx.message().isEmpty() ? "" : " (" + tx.message() + ")"));
            }
        }
        return 0;
    }
}
