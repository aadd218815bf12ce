package dev.fabricembedded.endorser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.fabricembedded.endorser.chaincode.ChaincodeSupport;
import dev.fabricembedded.endorser.chaincode.ExampleJars;
import dev.fabricembedded.endorser.chaincode.Installed;
import dev.fabricembedded.endorser.chaincode.NothingLeft;
import dev.fabricembedded.endorser.chaincode.SystemChaincode;
import dev.fabricembedded.endorser.chaincode.TestLedgers;
import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.ImplicitMetaPolicy;
import dev.fabricembedded.msp.policy.PolicyGroup;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.FileChaincodePackageStore;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.channel.ChannelView;
import dev.fabricembedded.scc.channel.ChannelViews;
import dev.fabricembedded.scc.channel.ConfiguredChannelView;
import dev.fabricembedded.scc.lscc.Lscc;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Endorser#processProposal} over the real pieces: MSPs from the dev CA, a channel with Fabric's policy tree,
 * LSCC in-process, ESCC's default endorsement, a real ledger and package store, and chaincodes from {@code examples}
 * as child processes. The seed flow (install, deploy with INIT, endorsement checked independently, invoke), every
 * endorser case of §9.1 and the status matrix of §1.8.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndorserTest {

    private static final String CH = "mychannel";
    private static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    private static final Organization ORG2 = Organization.generate("Org2MSP", "org2.example.com");
    private static final Organization ORG3 = Organization.generate("Org3MSP", "org3.example.com");

    @TempDir
    static Path dir;

    private final SigningIdentity admin1 = ORG1.signer(NodeRole.ADMIN);
    private final SigningIdentity client1 = ORG1.signer(NodeRole.CLIENT);
    private final SigningIdentity peer1 = ORG1.signer(NodeRole.PEER);
    private MspManager channelMsps;
    private ChannelLedger ledger;
    private FileChaincodePackageStore store;
    private ChaincodeSupport support;
    private Endorser endorser;
    private Path channels;
    private Path packages;

    @BeforeAll
    void start() {
        channelMsps = MspManager.of(ORG1.msp(), ORG2.msp());
        final ChannelView view = channelView();
        final ChannelViews views = id -> CH.equals(id) ? Optional.of(view) : Optional.empty();
        ledger = TestLedgers.open(dir.resolve("ledger"), CH);
        store = new FileChaincodePackageStore(dir.resolve("chaincodes"));
        channels = dir.resolve("channels");
        packages = dir.resolve("packages");
        final Lscc lscc = Lscc.builder().packageStore(store).channels(views).localMsp(ORG1.msp())
                .endorsementPlugins(Set.of("escc")).validationPlugins(Set.of("vscc")).build();
        support = ChaincodeSupport.builder()
                .runtime(ProcessRuntime.builder().channelBaseDir(channels).stopGracePeriod(Duration.ofSeconds(2))
                        .build())
                .packageDir(packages)
                .packages(store)
                .startupTimeout(Duration.ofSeconds(120))
                .systemChaincode(new SystemChaincode(Lscc.NAME, lscc, true, true))
                .build();
        endorser = Endorser.builder()
                .chaincodeSupport(support)
                .channels(views)
                .ledgers(id -> CH.equals(id) ? Optional.of(ledger) : Optional.empty())
                .localMsp(ORG1.msp())
                .signer(peer1)
                .packages(store)
                .build();
    }

    /** Org1's members and Org2's admins are Writers; both orgs' members are Readers. */
    private ChannelView channelView() {
        final PolicyGroup.Builder application = PolicyGroup.builder("Application");
        application.group(PolicyGroup.builder("Org1MSP")
                .signaturePolicy("Readers", SignaturePolicies.signedByMspMember("Org1MSP"), channelMsps)
                .signaturePolicy("Writers", SignaturePolicies.signedByMspMember("Org1MSP"), channelMsps)
                .signaturePolicy("Admins", SignaturePolicies.signedByMspAdmin("Org1MSP"), channelMsps)
                .build());
        application.group(PolicyGroup.builder("Org2MSP")
                .signaturePolicy("Readers", SignaturePolicies.signedByMspMember("Org2MSP"), channelMsps)
                .signaturePolicy("Writers", SignaturePolicies.signedByMspAdmin("Org2MSP"), channelMsps)
                .signaturePolicy("Admins", SignaturePolicies.signedByMspAdmin("Org2MSP"), channelMsps)
                .build());
        application.implicitMeta("Readers", ImplicitMetaPolicy.Rule.ANY, "Readers")
                .implicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY, "Writers")
                .implicitMeta("Admins", ImplicitMetaPolicy.Rule.MAJORITY, "Admins");
        return ConfiguredChannelView.builder(CH)
                .applicationOrgs(List.of("Org1MSP", "Org2MSP"))
                .deserializer(channelMsps)
                .capabilities(ChannelCapabilities.v1_3())
                .policies(PolicyGroup.builder("Channel").group(application.build()).build())
                .build();
    }

    @AfterAll
    void stop() throws IOException {
        support.close();
        ledger.close();
        NothingLeft.assertNothingLeft(channels, packages);
    }

    // ---- the seed flow ----

    @Test
    void installDeployWithInitEndorsementAndInvoke() throws Exception {
        // install: a chainless lscc proposal by a local admin, answered unsigned
        final ProposalResponse installed = endorser.processProposal(TestProposal.of(admin1, "", Lscc.NAME, "install")
                .arg(Installed.cds("mycc", "1.0", ExampleJars.bytes("example02")).toByteString()).build().signed());
        assertThat(installed.getResponse().getStatus()).isEqualTo(200);
        assertThat(installed.getResponse().getPayload().toStringUtf8()).isEqualTo("OK");
        assertThat(installed.hasEndorsement()).isFalse();
        assertThat(store.get("mycc", "1.0")).isPresent();

        // deploy: LSCC writes the definition, then the installed package is launched and its Init runs
        final TestProposal.Built deploy = deployProposal(admin1, "mycc", "init", "a", "100", "b", "200");
        final ProposalResponse deployed = endorser.processProposal(deploy.signed());
        assertThat(deployed.getResponse().getStatus()).as(deployed.getResponse().getMessage()).isEqualTo(200);
        assertThat(deployed.getVersion()).isEqualTo(1);
        assertThat(support.isRunning("mycc", "1.0")).isTrue();
        final ChaincodeData definition = ChaincodeData.parse(deployed.getResponse().getPayload());
        assertThat(definition.name()).isEqualTo("mycc");
        assertThat(definition.version()).isEqualTo("1.0");
        assertThat(definition.escc()).isEqualTo("escc");

        // the endorsement, checked without the peer's code: proposal hash, action, rwset, signature
        final ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(deployed.getPayload());
        assertThat(prp.getProposalHash().toByteArray()).isEqualTo(proposalHash(deploy));
        final ChaincodeAction action = ChaincodeAction.parseFrom(prp.getExtension());
        assertThat(action.getChaincodeId().getName()).isEqualTo("lscc");
        assertThat(action.getChaincodeId().getVersion()).isEqualTo(ChaincodeSupport.DEFAULT_SYSTEM_CHAINCODE_VERSION);
        assertThat(action.getResponse()).isEqualTo(deployed.getResponse());
        final TxReadWriteSet rwset = TxReadWriteSet.parseFrom(action.getResults());
        assertThat(rwset.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly("lscc", "mycc");
        final KVRWSet lscc = KVRWSet.parseFrom(rwset.getNsRwset(0).getRwset());
        assertThat(lscc.getReadsList()).extracting(KVRead::getKey, KVRead::hasVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mycc", false));
        assertThat(lscc.getWritesList()).singleElement().satisfies(w -> {
            assertThat(w.getKey()).isEqualTo("mycc");
            assertThat(w.getValue()).isEqualTo(deployed.getResponse().getPayload());
        });
        final KVRWSet mycc = KVRWSet.parseFrom(rwset.getNsRwset(1).getRwset());
        assertThat(mycc.getWritesList()).extracting(KVWrite::getKey, w -> w.getValue().toStringUtf8())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "100"),
                        org.assertj.core.groups.Tuple.tuple("b", "200"));
        assertThat(deployed.getEndorsement().getEndorser().toByteArray()).isEqualTo(peer1.serialize());
        assertThat(channelMsps.deserializeIdentity(deployed.getEndorsement().getEndorser())
                .verify(deployed.getPayload().concat(deployed.getEndorsement().getEndorser()),
                        deployed.getEndorsement().getSignature()).isValid()).isTrue();

        // commit it, then invoke the chaincode through a proposal of a client
        TestLedgers.commit(ledger, deploy.txId(), rwset);
        final TestProposal.Built query = TestProposal.of(client1, CH, "mycc", "query", "a").build();
        final ProposalResponse answered = endorser.processProposal(query.signed());
        assertThat(answered.getResponse().getStatus()).isEqualTo(200);
        assertThat(answered.getResponse().getPayload().toStringUtf8()).isEqualTo("100");
        final ChaincodeAction queried = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(
                answered.getPayload()).getExtension());
        assertThat(queried.getChaincodeId().getName()).isEqualTo("mycc");
        assertThat(queried.getChaincodeId().getVersion()).isEqualTo("1.0");

        // the committed deploy cannot be replayed
        assertThatThrownBy(() -> endorser.processProposal(deploy.signed()))
                .isInstanceOfSatisfying(ProposalException.class, e -> assertThat(e.reason())
                        .isEqualTo(ProposalException.Reason.DUPLICATE_TXID))
                .hasMessage("duplicate transaction found [" + deploy.txId() + "]. Creator ["
                        + HexFormat.of().formatHex(admin1.serialize()) + "]");
        // and deploying the same name again is LSCC's failure, with the payload and no endorsement
        final ProposalResponse again = endorser.processProposal(deployProposal(admin1, "mycc", "init").signed());
        assertThat(again.getResponse().getStatus()).isEqualTo(500);
        assertThat(again.getResponse().getMessage()).isEqualTo("chaincode with name 'mycc' already exists");
        assertThat(again.hasEndorsement()).isFalse();
        // (LSCC answers like Fabric's Go system chaincodes: COMPLETED with 500, so the payload comes back, carrying
        // the client's chaincode id without a version)
        final ChaincodeAction refused = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(again.getPayload())
                .getExtension());
        assertThat(refused.getChaincodeId().getName()).isEqualTo("lscc");
        assertThat(refused.getChaincodeId().getVersion()).isEmpty();
        assertThat(refused.getResponse().getStatus()).isEqualTo(500);
    }

    // ---- §9.1: refusals before simulation (Fabric's gRPC errors) ----

    @Test
    void aTamperedSignatureIsAccessDenied() {
        assertRefused(TestProposal.of(client1, CH, "mycc", "query", "a").tamperSignature(),
                ProposalException.Reason.ACCESS_DENIED, "access denied: channel [mychannel] creator org [Org1MSP]");
    }

    @Test
    void aCreatorFromAnOrganisationNotOnTheChannelOrAChannelNotJoinedIsAccessDenied() {
        assertRefused(TestProposal.of(ORG3.signer(NodeRole.CLIENT), CH, "mycc", "query", "a"),
                ProposalException.Reason.ACCESS_DENIED, "access denied: channel [mychannel] creator org [Org3MSP]");
        assertRefused(TestProposal.of(client1, "otherchannel", "mycc", "query", "a"),
                ProposalException.Reason.ACCESS_DENIED, "access denied: channel [otherchannel] creator org [Org1MSP]");
    }

    @Test
    void aTxidThatIsNotTheHashOfNonceAndCreatorIsRefused() {
        final String wrong = "0".repeat(64);
        assertThatThrownBy(() -> endorser.processProposal(TestProposal.of(client1, CH, "mycc", "query", "a")
                .txId(wrong).build().signed()))
                .isInstanceOfSatisfying(ProposalException.class, e -> assertThat(e.reason())
                        .isEqualTo(ProposalException.Reason.BAD_TXID))
                .hasMessageStartingWith("invalid txid. got [" + wrong + "], expected [");
    }

    @Test
    void headerRulesAreFabrics() {
        assertRefused(TestProposal.of(client1, CH, "mycc", "query").epoch(1), ProposalException.Reason.BAD_PROPOSAL,
                "invalid Epoch in ChannelHeader. Expected 0, got [1]");
        assertRefused(TestProposal.of(client1, CH, "mycc", "query").type(HeaderType.CONFIG_UPDATE_VALUE),
                ProposalException.Reason.UNSUPPORTED_TYPE, "unsupported proposal type 2");
        assertRefused(TestProposal.of(client1, CH, "mycc", "query").type(HeaderType.MESSAGE_VALUE),
                ProposalException.Reason.BAD_PROPOSAL, "invalid header type MESSAGE");
        assertRefused(TestProposal.of(client1, CH, "mycc", "query").payloadVisibility(),
                ProposalException.Reason.BAD_PROPOSAL, "invalid payload visibility field");
        assertThatThrownBy(() -> endorser.processProposal(null)).hasMessage("nil arguments");
    }

    @Test
    void anExpiredCreatorIsRefusedByTheAuthFilter() {
        // issued within the CA's validity, expired yesterday: the MSP still validates it, the endorser must not
        final Instant now = Instant.now();
        final Enrollment expired = ORG1.ca().issue("expired-client", NodeRole.CLIENT, now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)));
        assertThat(channelMsps.deserializeIdentity(ByteString.copyFrom(ORG1.signer(expired).serialize())).validate()
                .isValid()).isTrue();
        assertRefused(TestProposal.of(ORG1.signer(expired), CH, "mycc", "query", "a"),
                ProposalException.Reason.AUTH_FILTER, "identity expired");
    }

    @Test
    void theDeprecatedSystemChaincodesCannotBeInvokedThroughAProposal() {
        assertRefused(TestProposal.of(client1, CH, "escc", "x"), ProposalException.Reason.NOT_INVOKABLE,
                "chaincode escc cannot be invoked through a proposal");
        assertRefused(TestProposal.of(client1, CH, "vscc", "x"), ProposalException.Reason.NOT_INVOKABLE,
                "chaincode vscc cannot be invoked through a proposal");
    }

    @Test
    void anApplicationChaincodeNeedsTheChannelsWriters() {
        assertThatThrownBy(() -> endorser.processProposal(TestProposal.of(ORG2.signer(NodeRole.CLIENT), CH, "mycc",
                "query", "a").build().signed()))
                .isInstanceOfSatisfying(ProposalException.class, e -> assertThat(e.reason())
                        .isEqualTo(ProposalException.Reason.ACL))
                .hasMessageStartingWith("Failed evaluating policy on signed data during check policy on channel"
                        + " [mychannel] with policy [/Channel/Application/Writers]: [");
    }

    // ---- failures after simulation started: responses ----

    @Test
    void aDeployByANonAdminViolatesTheInstantiationPolicy() throws Exception {
        endorser.processProposal(TestProposal.of(admin1, "", Lscc.NAME, "install")
                .arg(Installed.cds("guarded", "1.0", ExampleJars.bytes("kv")).toByteString()).build().signed());
        final ProposalResponse refused = endorser.processProposal(deployProposal(client1, "guarded", "init")
                .signed());
        assertThat(refused.getResponse().getStatus()).isEqualTo(500);
        assertThat(refused.getResponse().getMessage())
                .isEqualTo("instantiation policy violation: signature set did not satisfy policy");
        assertThat(refused.hasEndorsement()).isFalse();
        assertThat(support.isRunning("guarded", "1.0")).as("no launch after LSCC refused").isFalse();
    }

    @Test
    void aChaincodeThatIsNotInstantiatedIsA500() throws Exception {
        final ProposalResponse response = endorser.processProposal(TestProposal.of(client1, CH, "nope", "x").build()
                .signed());
        assertThat(response.getResponse().getStatus()).isEqualTo(500);
        assertThat(response.getResponse().getMessage()).isEqualTo(
                "make sure the chaincode nope has been successfully instantiated and try again: chaincode nope not"
                        + " found");
        assertThat(response.getPayload().isEmpty()).isTrue();
    }

    @Test
    void initStatusesDecideTheDeployAndInvokeStatusesTheEndorsement() throws Exception {
        endorser.processProposal(TestProposal.of(admin1, "", Lscc.NAME, "install")
                .arg(Installed.cds("bad", "1.0", ExampleJars.bytes("misbehaving")).toByteString()).build().signed());
        // Init 500: the shim answers ERROR, the deploy fails
        final ProposalResponse failed = endorser.processProposal(deployProposal(admin1, "bad", "status500").signed());
        assertThat(failed.getResponse().getStatus()).isEqualTo(500);
        assertThat(failed.getResponse().getMessage())
                .isEqualTo("transaction returned with failure: internal error on purpose");
        assertThat(failed.hasEndorsement()).isFalse();

        // Init 400: Init's response is dropped, the deploy is endorsed
        final TestProposal.Built deploy = deployProposal(admin1, "bad", "status400");
        final ProposalResponse deployed = endorser.processProposal(deploy.signed());
        assertThat(deployed.getResponse().getStatus()).isEqualTo(200);
        assertThat(deployed.hasEndorsement()).isTrue();
        TestLedgers.commit(ledger, deploy.txId(), TxReadWriteSet.parseFrom(ChaincodeAction.parseFrom(
                ProposalResponsePayload.parseFrom(deployed.getPayload()).getExtension()).getResults()));

        // invoke 400: the response alone
        final ProposalResponse badRequest = endorser.processProposal(TestProposal.of(client1, CH, "bad", "status400")
                .build().signed());
        assertThat(badRequest.getResponse().getStatus()).isEqualTo(400);
        assertThat(badRequest.getPayload().isEmpty()).isTrue();
        assertThat(badRequest.hasEndorsement()).isFalse();
        // invoke 500 with the Java shim: ERROR, so Fabric's failure text and nothing else
        final ProposalResponse internal = endorser.processProposal(TestProposal.of(client1, CH, "bad", "status500")
                .build().signed());
        assertThat(internal.getResponse().getStatus()).isEqualTo(500);
        assertThat(internal.getResponse().getMessage())
                .isEqualTo("transaction returned with failure: internal error on purpose");
        assertThat(internal.hasEndorsement()).isFalse();
        // invoke 200: endorsed with the chaincode's response
        final ProposalResponse fine = endorser.processProposal(TestProposal.of(client1, CH, "bad", "ok").build()
                .signed());
        assertThat(fine.getResponse().getPayload().toStringUtf8()).isEqualTo("fine");
        assertThat(fine.hasEndorsement()).isTrue();
    }

    @Test
    void aDeployOfAPackageThatIsNotInstalledIsLsccsFailure() throws Exception {
        final ProposalResponse response = endorser.processProposal(deployProposal(admin1, "missing", "init")
                .signed());
        assertThat(response.getResponse().getStatus()).isEqualTo(500);
        assertThat(response.getResponse().getMessage()).isEqualTo("cannot get package for chaincode (missing:1.0)");
    }

    // ---- helpers ----

    /** A deploy proposal for {@code name:1.0} as the CLI sends it: a CDS without code package, Init args. */
    private static TestProposal.Built deployProposal(final SigningIdentity creator, final String name,
            final String... initArgs) {
        final ChaincodeDeploymentSpec cds = Installed.cds(name, "1.0", new byte[0]).toBuilder()
                .setChaincodeSpec(Installed.cds(name, "1.0", new byte[0]).getChaincodeSpec().toBuilder()
                        .setInput(ChaincodeInput.newBuilder().addAllArgs(List.of(initArgs).stream()
                                .map(ByteString::copyFromUtf8).toList())))
                .build();
        return TestProposal.of(creator, CH, Lscc.NAME, "deploy", CH).arg(cds.toByteString()).build();
    }

    private void assertRefused(final TestProposal proposal, final ProposalException.Reason reason,
            final String message) {
        assertThatThrownBy(() -> endorser.processProposal(proposal.build().signed()))
                .isInstanceOfSatisfying(ProposalException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessage(message);
    }

    /**
     * The proposal hash computed here from the reference's definition, not with the peer's code:
     * {@code H(channel_header ‖ signature_header ‖ 0x0a varint(len(input)) input)}, the transient map left out.
     */
    private static byte[] proposalHash(final TestProposal.Built proposal) {
        try {
            final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(proposal.channelHeader().toByteArray());
            sha256.update(proposal.signatureHeader().toByteArray());
            final byte[] prefix = new byte[1 + CodedOutputStream.computeUInt32SizeNoTag(proposal.input().size())];
            prefix[0] = 0x0a;
            final CodedOutputStream out = CodedOutputStream.newInstance(prefix, 1, prefix.length - 1);
            out.writeUInt32NoTag(proposal.input().size());
            out.flush();
            sha256.update(prefix);
            sha256.update(proposal.input().toByteArray());
            return sha256.digest();
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
