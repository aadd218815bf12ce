package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.shim.scripted.Proposals;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/** Execution contexts and inputs as the endorser builds them: a signed proposal per transaction. */
final class Invocations {

    static final String CREATOR_PEM = "-----BEGIN CERTIFICATE-----\nnot-parsed-by-chaincode-support\n"
            + "-----END CERTIFICATE-----\n";

    private Invocations() {
    }

    /** A fresh transaction id. */
    static String txId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A context carrying a signed proposal of {@code txId} on {@code channelId} (no simulator yet). */
    static ChaincodeContext.Builder context(final String channelId, final String name, final String version,
            final String txId) {
        final SignedProposal signed = Proposals.signed(channelId, txId, Proposals.creator("Org1MSP", CREATOR_PEM),
                ByteString.copyFromUtf8("nonce-" + txId), 0, Instant.now(), Map.of());
        try {
            return ChaincodeContext.builder(channelId, name, version, txId)
                    .signedProposal(signed, Proposal.parseFrom(signed.getProposalBytes()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Chaincode input of UTF-8 arguments. */
    static ChaincodeInput input(final String... args) {
        final ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        Arrays.stream(args).forEach(a -> input.addArgs(ByteString.copyFrom(a, StandardCharsets.UTF_8)));
        return input.build();
    }
}
