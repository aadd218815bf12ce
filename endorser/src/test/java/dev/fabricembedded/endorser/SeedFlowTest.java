package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.fabricembedded.endorser.TestPeer.Endorsed;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.shim.testing.LeakCheck;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.LifecycleEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed flow end to end (seed/flow-in-english.md, fabric-1.4-flow.md §0.4): install the example02 package, deploy
 * it through LSCC, which launches it as a child JVM and runs its Init on the proposal's simulator; check the
 * endorsed response and its read-write set byte by byte, commit it, then invoke and query the chaincode. The steps
 * build on each other, hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedFlowTest {

    @TempDir
    static Path dir;

    private static TestPeer peer;
    private static Endorsed deployed;

    @BeforeAll
    static void peer() throws Exception {
        peer = new TestPeer(dir, Organization.generate("Org1MSP", "org1.example.com"),
                Organization.generate("Org2MSP", "org2.example.com"), Duration.ofSeconds(30));
        peer.install("mycc", "1.0", ExamplePackages.EXAMPLE02);
    }

    @AfterAll
    static void close() {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    @Order(1)
    void deployLaunchesTheChaincodeAndReturnsLsccsDefinitionEndorsed() throws Exception {
        assertThat(peer.endorser.chaincodeSupport().isRunning("mycc", "1.0")).isFalse();

        deployed = peer.deploy("mycc", "1.0", "init", "a", "100", "b", "200");

        final ProposalResponse response = deployed.response();
        assertThat(deployed.status()).as(deployed.message()).isEqualTo(200);
        assertThat(peer.endorser.chaincodeSupport().isRunning("mycc", "1.0"))
                .as("REGISTER, REGISTERED, READY happened: the chaincode is ready").isTrue();
        assertThat(response.getVersion()).isEqualTo(1);
        final ChaincodePackage installed = peer.store.get("mycc", "1.0").orElseThrow();
        final ChaincodeData definition = ChaincodeData.parse(response.getResponse().getPayload());
        assertThat(definition.name()).isEqualTo("mycc");
        assertThat(definition.version()).isEqualTo("1.0");
        assertThat(definition.escc()).isEqualTo("escc");
        assertThat(definition.vscc()).isEqualTo("vscc");
        assertThat(definition.id()).isEqualTo(installed.id());
        assertThat(definition.policy()).isEqualTo(
                SignaturePolicies.signedByAnyMember(List.of("Org1MSP", "Org2MSP")).toByteString());
        assertThat(definition.instantiationPolicy()).isEqualTo(
                SignaturePolicies.signedByAnyAdmin(List.of("Org1MSP", "Org2MSP")).toByteString());
    }

    @Test
    @Order(2)
    void deployRwSetHoldsLsccDefinitionThenInitWrites() throws Exception {
        final ChaincodeAction action = action(deployed.response());
        final TxReadWriteSet rwset = TxReadWriteSet.parseFrom(action.getResults());
        assertThat(rwset.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly("lscc", "mycc");

        final KVRWSet lscc = KVRWSet.parseFrom(rwset.getNsRwset(0).getRwset());
        assertThat(lscc.getReadsList()).containsExactly(KVRead.newBuilder().setKey("mycc").build());
        assertThat(lscc.getReadsList().get(0).hasVersion()).as("read of a key that does not exist yet").isFalse();
        assertThat(lscc.getWritesList()).containsExactly(KVWrite.newBuilder().setKey("mycc")
                .setValue(deployed.response().getResponse().getPayload()).build());

        final KVRWSet mycc = KVRWSet.parseFrom(rwset.getNsRwset(1).getRwset());
        assertThat(mycc.getReadsList()).isEmpty();
        assertThat(mycc.getWritesList()).containsExactly(
                KVWrite.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("100")).build(),
                KVWrite.newBuilder().setKey("b").setValue(ByteString.copyFromUtf8("200")).build());

        assertThat(action.getResponse()).isEqualTo(deployed.response().getResponse());
        assertThat(action.getChaincodeId().getName()).isEqualTo("lscc");
        assertThat(action.getChaincodeId().getVersion()).isEqualTo(peer.endorser.systemChaincodeVersion());
        assertThat(action.getEvents()).isEmpty();
    }

    @Test
    @Order(3)
    void endorsementVerifiesIndependently() throws Exception {
        final ProposalResponse response = deployed.response();
        final ClientProposal proposal = deployed.proposal();
        final ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(response.getPayload());
        assertThat(prp.getProposalHash().toByteArray()).isEqualTo(expectedProposalHash(proposal));

        final ByteString endorser = response.getEndorsement().getEndorser();
        assertThat(endorser).isEqualTo(peer.org1.signer(NodeRole.PEER).serialized());
        final Identity identity = peer.org1.msp().deserializeIdentity(endorser);
        assertThat(identity.validate().isValid()).isTrue();
        final byte[] signed = response.getPayload().concat(endorser).toByteArray();
        assertThat(identity.verify(signed, response.getEndorsement().getSignature().toByteArray()).isValid())
                .isTrue();
        final byte[] tampered = signed.clone();
        tampered[0] ^= 1;
        assertThat(identity.verify(tampered, response.getEndorsement().getSignature().toByteArray()).isValid())
                .isFalse();
    }

    @Test
    @Order(4)
    void committedDeployMakesTheChaincodeInvokable() throws Exception {
        final CommitResult committed = peer.commit(deployed);
        assertThat(committed.code(0)).isEqualTo(TxValidationCode.VALID);

        final Endorsed query = peer.invoke("mycc", "query", "a");
        assertThat(query.status()).as(query.message()).isEqualTo(200);
        assertThat(query.response().getResponse().getPayload().toStringUtf8()).isEqualTo("100");

        final Endorsed move = peer.invoke("mycc", "move", "a", "b", "10");
        assertThat(move.status()).as(move.message()).isEqualTo(200);
        final ChaincodeAction action = action(move.response());
        assertThat(action.getChaincodeId().getName()).isEqualTo("mycc");
        assertThat(action.getChaincodeId().getVersion()).isEqualTo("1.0");
        final TxReadWriteSet rwset = TxReadWriteSet.parseFrom(action.getResults());
        assertThat(rwset.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly("lscc", "mycc");
        final KVRWSet lscc = KVRWSet.parseFrom(rwset.getNsRwset(0).getRwset());
        assertThat(lscc.getReadsList()).extracting(KVRead::getKey).containsExactly("mycc");
        assertThat(lscc.getReads(0).getVersion().getBlockNum()).isEqualTo(committed.blockNumber());
        assertThat(lscc.getWritesList()).isEmpty();
        final KVRWSet mycc = KVRWSet.parseFrom(rwset.getNsRwset(1).getRwset());
        assertThat(mycc.getReadsList()).extracting(KVRead::getKey).containsExactly("a", "b");
        assertThat(mycc.getWritesList()).extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8())
                .containsExactly("a=90", "b=210");

        assertThat(peer.commit(move).code(0)).isEqualTo(TxValidationCode.VALID);
        final Endorsed after = peer.invoke("mycc", "query", "a");
        assertThat(after.response().getResponse().getPayload().toStringUtf8()).isEqualTo("90");

        // replaying the committed move is refused before anything runs
        assertThatThrownBy(() -> peer.endorser.processProposal(move.proposal().signedProposal()))
                .isInstanceOfSatisfying(ProposalRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.DUPLICATE_TRANSACTION);
                    assertThat(e.getMessage()).isEqualTo("duplicate transaction found [" + move.proposal().txId()
                            + "]. Creator [" + java.util.HexFormat.of().formatHex(peer.client().serialize()) + "]");
                });
        // so is the committed deploy
        assertThatThrownBy(() -> peer.endorser.processProposal(deployed.proposal().signedProposal()))
                .isInstanceOf(ProposalRejectedException.class).hasMessageStartingWith("duplicate transaction found [");
    }

    @Test
    @Order(5)
    void upgradeRunsTheNewVersionsInitAndEmitsTheUpgradeEvent() throws Exception {
        peer.install("mycc", "2.0", ExamplePackages.EXAMPLE02);
        final ClientProposal proposal = ProposalBuilder.upgrade(TestPeer.CHANNEL,
                ExamplePackages.spec("mycc", "2.0", ByteString.EMPTY, "init", "a", "5", "b", "6")).build(peer.admin());
        final Endorsed upgraded = new Endorsed(peer.admin(), proposal,
                peer.endorser.processProposal(proposal.signedProposal()));
        assertThat(upgraded.status()).as(upgraded.message()).isEqualTo(200);
        assertThat(ChaincodeData.parse(upgraded.response().getResponse().getPayload()).version()).isEqualTo("2.0");
        assertThat(peer.endorser.chaincodeSupport().isRunning("mycc", "2.0")).isTrue();
        assertThat(peer.endorser.chaincodeSupport().proposalLoad().inFlight()).as("counted in and out").isZero();

        final ChaincodeAction action = action(upgraded.response());
        final ChaincodeEvent event = ChaincodeEvent.parseFrom(action.getEvents());
        assertThat(event.getEventName()).isEqualTo("upgrade");
        assertThat(event.getChaincodeId()).isEqualTo("lscc");
        assertThat(event.getTxId()).isEqualTo(proposal.txId());
        assertThat(LifecycleEvent.parseFrom(event.getPayload()).getChaincodeName()).isEqualTo("mycc");
        final TxReadWriteSet rwset = TxReadWriteSet.parseFrom(action.getResults());
        final KVRWSet lscc = KVRWSet.parseFrom(rwset.getNsRwset(0).getRwset());
        assertThat(lscc.getReads(0).hasVersion()).as("the upgrade read the committed 1.0 definition").isTrue();
        final KVRWSet mycc = KVRWSet.parseFrom(rwset.getNsRwset(1).getRwset());
        assertThat(mycc.getWritesList()).extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8())
                .containsExactly("a=5", "b=6");

        assertThat(peer.commit(upgraded).code(0)).isEqualTo(TxValidationCode.VALID);
        final Endorsed query = peer.invoke("mycc", "query", "a");
        assertThat(query.response().getResponse().getPayload().toStringUtf8()).isEqualTo("5");
        assertThat(action(query.response()).getChaincodeId().getVersion()).isEqualTo("2.0");
    }

    @Test
    @Order(6)
    void aPackageFileChangedAfterInstantiationNoLongerLaunches() throws Exception {
        peer.restartEndorser();
        assertThat(peer.endorser.chaincodeSupport().isRunning("mycc", "2.0")).isFalse();
        final Path file = peer.store.directory().resolve("mycc.2.0");
        final ByteString otherCode = ExamplePackages.jar(ExamplePackages.MISBEHAVING, dir.resolve("jars"));
        Files.write(file, ExamplePackages.spec("mycc", "2.0", otherCode).toByteArray());

        final Endorsed query = peer.invoke("mycc", "query", "a");
        assertThat(query.status()).isEqualTo(500);
        assertThat(query.message()).contains("chaincode fingerprint mismatch: data mismatch");
        assertThat(query.response().hasEndorsement()).isFalse();
        assertThat(peer.endorser.chaincodeSupport().isRunning("mycc", "2.0")).isFalse();
    }

    @Test
    @Order(7)
    void systemChaincodeQueriesAnswerAndClosingThePeerLeavesNothingBehind() throws Exception {
        final Endorsed lscc = peer.invoke("lscc", "getid", TestPeer.CHANNEL, "mycc");
        assertThat(lscc.status()).as(lscc.message()).isEqualTo(200);
        assertThat(lscc.response().getResponse().getPayload().toStringUtf8()).isEqualTo("mycc");
        // qscc runs without a simulator: an endorsed answer with no read-write set
        final Endorsed info = peer.invoke("qscc", "GetChainInfo", TestPeer.CHANNEL);
        assertThat(info.status()).as(info.message()).isEqualTo(200);
        assertThat(BlockchainInfo.parseFrom(info.response().getResponse().getPayload()).getHeight())
                .isEqualTo(peer.ledger.height());
        assertThat(action(info.response()).getResults()).isEmpty();
        assertThat(info.response().hasEndorsement()).isTrue();
        peer.close();
        peer = null;
        LeakCheck.assertNoChildProcess();
        LeakCheck.assertEmpty(dir.resolve("chaincode-channels"));
    }

    private static ChaincodeAction action(final ProposalResponse response) throws Exception {
        return ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(response.getPayload()).getExtension());
    }

    /** {@code H(channel_header ‖ signature_header ‖ ChaincodeProposalPayload{input}.marshal())}, by hand. */
    static byte[] expectedProposalHash(final ClientProposal proposal) throws Exception {
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(payload);
        out.writeBytes(1, proposal.chaincodeProposalPayload().getInput());
        out.flush();
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(proposal.header().getChannelHeader().toByteArray());
        sha.update(proposal.header().getSignatureHeader().toByteArray());
        sha.update(payload.toByteArray());
        return sha.digest();
    }
}
