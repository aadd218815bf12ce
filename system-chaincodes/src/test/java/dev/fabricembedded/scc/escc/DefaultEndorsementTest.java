package dev.fabricembedded.scc.escc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.scc.fixtures.TestProposals;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DefaultEndorsementTest {

    private static Organization org1;
    private static Organization org2;

    @BeforeAll
    static void orgs() {
        org1 = Organization.generate("Org1MSP", "org1.example.com");
        org2 = Organization.generate("Org2MSP", "org2.example.com");
    }

    private static EndorsementContext context(TestProposals.Built p, Response response) throws Exception {
        ChaincodeEvent event = ChaincodeEvent.newBuilder().setChaincodeId("mycc").setTxId(p.txId())
                .setEventName("evt").setPayload(ByteString.copyFromUtf8("e")).build();
        return EndorsementContext.of("mychannel", p.proposal(), response, ByteString.copyFromUtf8("rwset"),
                event.toByteString(), ChaincodeID.newBuilder().setName("mycc").setVersion("1.0").build());
    }

    @Test
    void proposalHashExcludesTheTransientMapAndTheSignatureCoversPrpAndEndorser() throws Exception {
        SigningIdentity client = org1.signer(NodeRole.CLIENT);
        TestProposals.Built p = TestProposals.proposal(client, "mychannel", "mycc",
                List.of(ByteString.copyFromUtf8("invoke"), ByteString.copyFromUtf8("a")),
                Map.of("secret", ByteString.copyFromUtf8("never hashed")));
        Response response = Response.newBuilder().setStatus(200).setPayload(ByteString.copyFromUtf8("ok")).build();
        SigningIdentity peer = org1.signer(NodeRole.PEER);

        ProposalResponse pr = new DefaultEndorsement().endorse(context(p, response), peer);

        // independent recomputation of the proposal hash
        ChaincodeProposalPayload cpp = ChaincodeProposalPayload.parseFrom(p.proposal().getPayload());
        assertThat(cpp.getTransientMapCount()).isEqualTo(1);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(p.header().getChannelHeader().toByteArray());
        md.update(p.header().getSignatureHeader().toByteArray());
        md.update(ChaincodeProposalPayload.newBuilder().setInput(cpp.getInput()).build().toByteArray());
        ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(pr.getPayload());
        assertThat(prp.getProposalHash().toByteArray()).isEqualTo(md.digest());

        ChaincodeAction action = ChaincodeAction.parseFrom(prp.getExtension());
        assertThat(action.getResults().toStringUtf8()).isEqualTo("rwset");
        assertThat(ChaincodeEvent.parseFrom(action.getEvents()).getEventName()).isEqualTo("evt");
        assertThat(action.getResponse()).isEqualTo(response);
        assertThat(action.getChaincodeId().getVersion()).isEqualTo("1.0");
        assertThat(pr.getVersion()).isEqualTo(1);
        assertThat(pr.getResponse()).isEqualTo(response);
        assertThat(pr.hasTimestamp()).isFalse();

        // independent signature check with the JDK's ECDSA over the endorser's PEM certificate
        assertThat(pr.getEndorsement().getEndorser().toByteArray()).isEqualTo(peer.serialize());
        SerializedIdentity endorser = SerializedIdentity.parseFrom(pr.getEndorsement().getEndorser());
        assertThat(endorser.getMspid()).isEqualTo("Org1MSP");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(endorser.getIdBytes().toByteArray()));
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(pr.getPayload().concat(pr.getEndorsement().getEndorser()).toByteArray());
        assertThat(verifier.verify(pr.getEndorsement().getSignature().toByteArray())).isTrue();
        verifier.initVerify(cert.getPublicKey());
        verifier.update(pr.getPayload().toByteArray());
        assertThat(verifier.verify(pr.getEndorsement().getSignature().toByteArray())).isFalse();
    }

    @Test
    void twoEndorsersOfTheSameSimulationProduceByteIdenticalPrp() throws Exception {
        TestProposals.Built p = TestProposals.proposal(org1.signer(NodeRole.CLIENT), "mychannel", "mycc", "put", "k");
        Response response = Response.newBuilder().setStatus(200).build();

        ProposalResponse a = new DefaultEndorsement().endorse(context(p, response), org1.signer(NodeRole.PEER));
        ProposalResponse b = new DefaultEndorsement().endorse(context(p, response), org2.signer(NodeRole.PEER));

        assertThat(a.getPayload()).isEqualTo(b.getPayload());
        assertThat(a.getEndorsement()).isNotEqualTo(b.getEndorsement());
        assertThat(DefaultEndorsement.proposalResponsePayload(context(p, response))).isEqualTo(a.getPayload());
    }

    @Test
    void emptyInputHashesOnlyTheHeaders() throws Exception {
        TestProposals.Built p = TestProposals.proposal(org1.signer(NodeRole.CLIENT), "ch", "mycc", "x");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(p.header().getChannelHeader().toByteArray());
        md.update(p.header().getSignatureHeader().toByteArray());
        assertThat(DefaultEndorsement.proposalHash(p.header(), ByteString.EMPTY)).isEqualTo(md.digest());
    }

    @Test
    void errorResponsesAreReturnedUnsignedAndWithoutPayload() throws Exception {
        TestProposals.Built p = TestProposals.proposal(org1.signer(NodeRole.CLIENT), "ch", "mycc", "x");
        for (int status : new int[] {400, 404, 500}) {
            Response response = Response.newBuilder().setStatus(status).setMessage("no").build();
            ProposalResponse pr = new DefaultEndorsement().endorse(context(p, response), org1.signer(NodeRole.PEER));
            assertThat(pr.getResponse()).isEqualTo(response);
            assertThat(pr.hasEndorsement()).isFalse();
            assertThat(pr.getPayload().isEmpty()).isTrue();
            assertThat(pr.getVersion()).isZero();
        }
    }

    @Test
    void registryFindsEsccAndNamesAMissingPluginWithFabricsText() {
        EndorsementPluginRegistry registry = EndorsementPluginRegistry.builder()
                .register("custom", (ctx, signer) -> ProposalResponse.getDefaultInstance()).build();
        assertThat(registry.require("escc")).isInstanceOf(DefaultEndorsement.class);
        assertThat(registry.names()).containsExactly("escc", "custom");
        assertThat(registry.find("nope")).isEmpty();
        assertThatThrownBy(() -> registry.require("nope"))
                .isInstanceOf(EndorsementException.class)
                .hasMessage("plugin with name nope could not be used: plugin with name nope wasn't found");
        assertThat(EndorsementPluginRegistry.withDefaults().names()).containsExactly("escc");
    }
}
