package dev.fabricembedded.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.peer.Peer;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code endorse --data DIR --proposal FILE --out FILE}: Fabric's {@code ProcessProposal} for a serialized
 * {@code SignedProposal} built by any Fabric client. Writes the serialized {@code ProposalResponse}; a proposal the
 * peer refuses (Fabric's gRPC error) is the error line, with nothing written; a response with an error status
 * (&ge; 400) is written and fails the command.
 */
@Command(name = "endorse", description = "Endorse a serialized SignedProposal from any Fabric client on a peer and "
        + "write the serialized ProposalResponse.")
final class EndorseCommand implements Callable<Integer> {

    @Mixin
    NetworkOptions options;

    @Option(names = "--proposal", paramLabel = "FILE", required = true, description = "serialized SignedProposal")
    Path proposalFile;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write the ProposalResponse")
    Path out;

    @Option(names = "--org", paramLabel = "ORG", defaultValue = "org1",
            description = "whose peer endorses (default: ${DEFAULT-VALUE})")
    String org;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        SignedProposal proposal;
        try {
            proposal = SignedProposal.parseFrom(Files.readAllBytes(proposalFile));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(proposalFile + " does not hold a serialized SignedProposal: "
                    + e.getMessage(), e);
        }
        if (proposal.getProposalBytes().isEmpty()) {
            throw new IllegalArgumentException(proposalFile + " does not hold a SignedProposal (no proposal bytes)");
        }
        try (EmbeddedNetwork network = options.open(console)) {
            Peer peer = network.peer(org);
            ProposalResponse response = console.step("endorse on " + network.layout().peerName(
                    network.layout().organizationNumber(org)), () -> peer.processProposal(proposal));
            write(out, response.toByteArray());
            console.line("response: status %d%s, written to %s", response.getResponse().getStatus(),
                    response.getResponse().getMessage().isEmpty() ? "" : " " + response.getResponse().getMessage(),
                    out);
            if (response.getResponse().getStatus() >= 400) {
                throw new CommandFailedException("endorsement failed: status " + response.getResponse().getStatus()
                        + ": " + response.getResponse().getMessage());
            }
        }
        return 0;
    }

    /** Writes a file through a temporary sibling, so a reader never sees half of it. */
    static void write(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
