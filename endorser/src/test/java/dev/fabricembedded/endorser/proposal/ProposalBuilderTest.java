package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProposalBuilderTest {

    private static Organization org1;
    private static SigningIdentity client;

    @BeforeAll
    static void organizations() {
        org1 = Organization.generate("Org1MSP", "org1.example.com");
        client = org1.signer(NodeRole.CLIENT);
    }

    @Test
    void invokeProposalHasFabricsHeadersAndASignatureByTheCreator() throws Exception {
        final Instant at = Instant.parse("2024-05-01T10:15:30.123456789Z");
        final ClientProposal built = ProposalBuilder.invoke("mychannel", "mycc").args("move", "a", "b", "10")
                .transientMap(Map.of("secret", ByteString.copyFromUtf8("s"))).timestamp(at).build(client);

        final Proposal proposal = Proposal.parseFrom(built.signedProposal().getProposalBytes());
        assertThat(proposal).isEqualTo(built.proposal());
        final Header header = Header.parseFrom(proposal.getHeader());
        final ChannelHeader channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
        final SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
        assertThat(channelHeader.getType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION_VALUE);
        assertThat(channelHeader.getVersion()).isZero();
        assertThat(channelHeader.getEpoch()).isZero();
        assertThat(channelHeader.getChannelId()).isEqualTo("mychannel");
        assertThat(channelHeader.getTimestamp().getSeconds()).isEqualTo(at.getEpochSecond());
        assertThat(channelHeader.getTimestamp().getNanos()).isEqualTo(at.getNano());
        assertThat(ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension()).getChaincodeId().getName())
                .isEqualTo("mycc");
        assertThat(signatureHeader.getCreator()).isEqualTo(client.serialized());
        assertThat(signatureHeader.getNonce().size()).isEqualTo(ProposalBuilder.NONCE_SIZE);

        // txid = lowercase hex of SHA-256(nonce || creator), computed independently
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(signatureHeader.getNonce().toByteArray());
        sha.update(client.serialize());
        final String expectedTxId = HexFormat.of().formatHex(sha.digest());
        assertThat(channelHeader.getTxId()).isEqualTo(expectedTxId).isEqualTo(built.txId());

        final ChaincodeProposalPayload payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
        assertThat(payload.getTransientMapMap()).containsEntry("secret", ByteString.copyFromUtf8("s"));
        final ChaincodeInput input = ChaincodeInvocationSpec.parseFrom(payload.getInput()).getChaincodeSpec()
                .getInput();
        assertThat(input.getArgsList()).extracting(ByteString::toStringUtf8).containsExactly("move", "a", "b", "10");

        assertThat(client.verify(built.signedProposal().getProposalBytes(), built.signedProposal().getSignature())
                .isValid()).isTrue();
    }

    @Test
    void everyBuildDrawsAFreshNonceAndTxId() {
        final ProposalBuilder builder = ProposalBuilder.invoke("mychannel", "mycc").args("query", "a");
        final ClientProposal first = builder.build(client);
        final ClientProposal second = builder.build(client);
        assertThat(first.nonce()).isNotEqualTo(second.nonce());
        assertThat(first.txId()).isNotEqualTo(second.txId());
    }

    @Test
    void installTargetsLsccOnNoChannelWithThePackageAsSecondArgument() throws Exception {
        final ChaincodeDeploymentSpec spec = spec("mycc", "1.0", "init", "a", "100");
        final ClientProposal built = ProposalBuilder.install(spec).build(client);
        assertThat(built.channelId()).isEmpty();
        assertThat(ChaincodeHeaderExtension.parseFrom(built.channelHeader().getExtension()).getChaincodeId().getName())
                .isEqualTo("lscc");
        final List<ByteString> args = args(built);
        assertThat(args).hasSize(2);
        assertThat(args.get(0).toStringUtf8()).isEqualTo("install");
        assertThat(args.get(1)).isEqualTo(spec.toByteString());
    }

    @Test
    void deployLaysOutLsccArgumentsUpToTheLastGivenOption() throws Exception {
        final ChaincodeDeploymentSpec spec = spec("mycc", "1.0", "init", "a", "100", "b", "200");

        final List<ByteString> plain = args(ProposalBuilder.deploy("mychannel", spec).build(client));
        assertThat(plain).hasSize(3);
        assertThat(plain.get(0).toStringUtf8()).isEqualTo("deploy");
        assertThat(plain.get(1).toStringUtf8()).isEqualTo("mychannel");
        assertThat(plain.get(2)).isEqualTo(spec.toByteString());

        final ByteString policy = SignaturePolicies.signedByAnyMember(List.of("Org1MSP")).toByteString();
        final List<ByteString> withVscc = args(ProposalBuilder.deploy("mychannel", spec,
                DeployOptions.defaults().withEndorsementPolicy(policy).withVscc("vscc")).build(client));
        assertThat(withVscc).hasSize(6);
        assertThat(withVscc.get(3)).isEqualTo(policy);
        assertThat(withVscc.get(4)).isEqualTo(ByteString.EMPTY);
        assertThat(withVscc.get(5).toStringUtf8()).isEqualTo("vscc");

        final List<ByteString> upgrade = args(ProposalBuilder.upgrade("mychannel", spec,
                DeployOptions.defaults().withEscc("escc")).build(client));
        assertThat(upgrade.get(0).toStringUtf8()).isEqualTo("upgrade");
        assertThat(upgrade).hasSize(5);
        assertThat(upgrade.get(3)).isEqualTo(ByteString.EMPTY);
        assertThat(upgrade.get(4).toStringUtf8()).isEqualTo("escc");
    }

    @Test
    void payloadVisibilityIsWrittenAsFieldOneBeforeTheChaincodeId() throws Exception {
        final ClientProposal built = ProposalBuilder.invoke("mychannel", "mycc").args("query", "a")
                .payloadVisibility(ByteString.copyFromUtf8("v")).build(client);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(expected);
        out.writeBytes(1, ByteString.copyFromUtf8("v"));
        out.writeMessage(2, ChaincodeID.newBuilder().setName("mycc").build());
        out.flush();
        assertThat(built.channelHeader().getExtension().toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void signedTransactionCarriesTheProposalAndEndorsementsSignedByTheCreator() throws Exception {
        final ClientProposal built = ProposalBuilder.invoke("mychannel", "mycc").args("move", "a", "b", "1")
                .transientMap(Map.of("k", ByteString.copyFromUtf8("hidden"))).build(client);
        final ProposalResponse response = endorsed(200, "prp");
        final Envelope envelope = SignedTransactions.create(built, List.of(response, endorsed(200, "prp")), client);

        assertThat(client.verify(envelope.getPayload(), envelope.getSignature()).isValid()).isTrue();
        final Payload payload = Payload.parseFrom(envelope.getPayload());
        assertThat(payload.getHeader()).isEqualTo(built.header());
        final Transaction transaction = Transaction.parseFrom(payload.getData());
        assertThat(transaction.getActionsList()).hasSize(1);
        assertThat(transaction.getActions(0).getHeader()).isEqualTo(built.header().getSignatureHeader());
        final ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
        assertThat(action.getAction().getProposalResponsePayload()).isEqualTo(response.getPayload());
        assertThat(action.getAction().getEndorsementsList()).hasSize(2);
        final ChaincodeProposalPayload cpp = ChaincodeProposalPayload.parseFrom(action.getChaincodeProposalPayload());
        assertThat(cpp.getTransientMapMap()).isEmpty();
        assertThat(cpp.getInput()).isEqualTo(built.chaincodeProposalPayload().getInput());
    }

    @Test
    void signedTransactionRefusesWhatFabricsClientRefuses() {
        final ClientProposal built = ProposalBuilder.invoke("mychannel", "mycc").args("query", "a").build(client);
        assertThatThrownBy(() -> SignedTransactions.create(built, List.of(), client))
                .hasMessage("at least one proposal response is required");
        assertThatThrownBy(() -> SignedTransactions.create(built, List.of(endorsed(200, "x")),
                org1.signer(NodeRole.ADMIN)))
                .hasMessage("signer must be the same as the one referenced in the header");
        assertThatThrownBy(() -> SignedTransactions.create(built, List.of(endorsed(500, "x")), client))
                .hasMessage("proposal response was not successful, error code 500, msg failed");
        assertThatThrownBy(() -> SignedTransactions.create(built, List.of(endorsed(200, "x"), endorsed(200, "y")),
                client)).hasMessage("ProposalResponsePayloads do not match");
    }

    private static ProposalResponse endorsed(final int status, final String payload) {
        return ProposalResponse.newBuilder().setVersion(1)
                .setResponse(Response.newBuilder().setStatus(status).setMessage(status >= 400 ? "failed" : ""))
                .setPayload(ByteString.copyFromUtf8(payload))
                .setEndorsement(Endorsement.newBuilder().setEndorser(ByteString.copyFromUtf8("peer"))
                        .setSignature(ByteString.copyFromUtf8("sig")))
                .build();
    }

    static ChaincodeDeploymentSpec spec(final String name, final String version, final String... initArgs) {
        final ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (final String arg : initArgs) {
            input.addArgs(ByteString.copyFrom(arg, StandardCharsets.UTF_8));
        }
        return ChaincodeDeploymentSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                .setType(ChaincodeSpec.Type.JAVA)
                .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion(version))
                .setInput(input)).build();
    }

    private static List<ByteString> args(final ClientProposal built) throws Exception {
        return ChaincodeInvocationSpec.parseFrom(built.chaincodeProposalPayload().getInput()).getChaincodeSpec()
                .getInput().getArgsList();
    }
}
