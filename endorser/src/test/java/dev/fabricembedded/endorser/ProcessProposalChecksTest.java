package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.TestPeer.Endorsed;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.ProposalValidation;
import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.shim.testing.LeakCheck;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The endorser's refusals of fabric-1.4-flow.md §9.1: what is refused before simulation throws
 * {@link ProposalRejectedException} with Fabric's text (a gRPC error there), what is refused by LSCC is a 500
 * response. No application chaincode runs here; LSCC runs in-process.
 */
class ProcessProposalChecksTest {

    @TempDir
    static Path dir;

    private static TestPeer peer;

    @BeforeAll
    static void peer() throws Exception {
        peer = new TestPeer(dir, Organization.generate("Org1MSP", "org1.example.com"),
                Organization.generate("Org2MSP", "org2.example.com"), Duration.ofSeconds(30));
        peer.install("mycc", "1.0", ExamplePackages.EXAMPLE02);
    }

    @AfterAll
    static void close() {
        peer.close();
    }

    private static ProposalBuilder invoke() {
        return ProposalBuilder.invoke(TestPeer.CHANNEL, "mycc").args("query", "a");
    }

    private static ProposalRejectedException rejected(final SignedProposal signed) {
        final Throwable thrown = catchThrowable(() -> peer.endorser.processProposal(signed));
        assertThat(thrown).isInstanceOf(ProposalRejectedException.class);
        assertThat(peer.endorser.chaincodeSupport().proposalLoad().inFlight())
                .as("a refused proposal is counted out too").isZero();
        return (ProposalRejectedException) thrown;
    }

    @Test
    void tamperedSignatureIsAccessDeniedWithFabricsGenericText() {
        final SignedProposal signed = invoke().build(peer.client()).signedProposal();
        final byte[] signature = signed.getSignature().toByteArray();
        signature[signature.length - 1] ^= 1;
        final ProposalRejectedException e = rejected(signed.toBuilder()
                .setSignature(ByteString.copyFrom(signature)).build());
        assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.INVALID_PROPOSAL);
        assertThat(e.validationCode()).contains(ProposalValidation.Code.ACCESS_DENIED);
        assertThat(e).hasMessage("access denied: channel [mychannel] creator org [Org1MSP]");
    }

    @Test
    void aTamperedCopyOfAProposalJustCheckedAndRememberedIsStillRefused() {
        // the honest proposal passes the checks (its signature is remembered for the peer/Propose ACL) and then
        // fails only because mycc is not instantiated; the same bytes with a tampered signature must not profit
        final SignedProposal signed = invoke().build(peer.client()).signedProposal();
        assertThat(peer.endorser.processProposal(signed).getResponse().getMessage())
                .startsWith("make sure the chaincode mycc has been successfully instantiated");
        final byte[] signature = signed.getSignature().toByteArray();
        signature[signature.length - 1] ^= 1;
        final ProposalRejectedException e = rejected(signed.toBuilder()
                .setSignature(ByteString.copyFrom(signature)).build());
        assertThat(e.validationCode()).contains(ProposalValidation.Code.ACCESS_DENIED);
        assertThat(e).hasMessage("access denied: channel [mychannel] creator org [Org1MSP]");
    }

    @Test
    void txIdThatIsNotTheHashOfNonceAndCreatorIsRefused() {
        final ClientProposal honest = invoke().build(peer.client());
        final ProposalRejectedException e = rejected(invoke().nonce(honest.nonce()).txId("0123")
                .build(peer.client()).signedProposal());
        assertThat(e.validationCode()).contains(ProposalValidation.Code.INVALID_TXID);
        assertThat(e).hasMessage("invalid txid. got [0123], expected [" + honest.txId() + "]");
    }

    @Test
    void nonZeroEpochIsRefused() {
        assertThat(rejected(invoke().epoch(1).build(peer.client()).signedProposal()))
                .hasMessage("invalid Epoch in ChannelHeader. Expected 0, got [1]");
    }

    @Test
    void configUpdateIsNotAProposalType() {
        assertThat(rejected(invoke().headerType(HeaderType.CONFIG_UPDATE_VALUE).build(peer.client())
                .signedProposal())).hasMessage("unsupported proposal type 2");
    }

    @Test
    void payloadVisibilityIsRefused() {
        assertThat(rejected(invoke().payloadVisibility(ByteString.copyFromUtf8("x")).build(peer.client())
                .signedProposal())).hasMessage("invalid payload visibility field");
    }

    @Test
    void applicationChaincodeNeedsAChannelWriter() {
        final ProposalRejectedException e = rejected(invoke().build(peer.org1.signer(NodeRole.PEER))
                .signedProposal());
        assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.ACCESS_DENIED);
        assertThat(e).hasMessage("Failed evaluating policy on signed data during check policy on channel [mychannel] "
                + "with policy [/Channel/Application/Writers]: [implicit policy evaluation failed - 0 sub-policies "
                + "were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied]");
    }

    @Test
    void systemChaincodesAreNotCheckedAgainstWritersButAppChaincodesMustBeInstantiated() {
        // a peer identity is no Writer, but LSCC queries are not subject to peer/Propose
        final ClientProposal lsccQuery = ProposalBuilder.invoke(TestPeer.CHANNEL, "lscc")
                .args("getchaincodes").build(peer.org1.signer(NodeRole.PEER));
        assertThat(peer.endorser.processProposal(lsccQuery.signedProposal()).getResponse().getStatus())
                .isEqualTo(200);

        final ProposalResponse missing = peer.endorser.processProposal(ProposalBuilder.invoke(TestPeer.CHANNEL, "nocc")
                .args("query").build(peer.org2.signer(NodeRole.CLIENT)).signedProposal());
        assertThat(missing.getResponse().getStatus()).isEqualTo(500);
        assertThat(missing.getResponse().getMessage()).isEqualTo(
                "make sure the chaincode nocc has been successfully instantiated and try again: chaincode nocc not found");
        assertThat(missing.getPayload()).isEmpty();
    }

    @Test
    void lsccDeployByANonAdminViolatesTheInstantiationPolicy() throws Exception {
        final ClientProposal proposal = ProposalBuilder.deploy(TestPeer.CHANNEL,
                ExamplePackages.spec("mycc", "1.0", ByteString.EMPTY, "init", "a", "1", "b", "2"))
                .build(peer.client());
        final Endorsed deploy = new Endorsed(peer.client(), proposal,
                peer.endorser.processProposal(proposal.signedProposal()));
        assertThat(deploy.status()).isEqualTo(500);
        assertThat(deploy.message()).isEqualTo("instantiation policy violation: signature set did not satisfy policy");
        // Fabric's CreateProposalResponseFailure: the payload is there, the endorsement is not
        assertThat(deploy.response().hasEndorsement()).isFalse();
        assertThat(ProposalResponsePayload.parseFrom(deploy.response().getPayload()).getProposalHash().toByteArray())
                .isEqualTo(SeedFlowTest.expectedProposalHash(proposal));
        assertThat(peer.endorser.chaincodeSupport().isRunning("mycc", "1.0")).isFalse();
        assertThat(LeakCheck.liveChildren()).isEmpty();
    }

    @Test
    void deployOfAPackageThatIsNotInstalledIsRefusedByLscc() throws Exception {
        final ClientProposal proposal = ProposalBuilder.deploy(TestPeer.CHANNEL,
                ExamplePackages.spec("ghost", "1.0", ByteString.EMPTY, "init")).build(peer.admin());
        final ProposalResponse response = peer.endorser.processProposal(proposal.signedProposal());
        assertThat(response.getResponse().getStatus()).isEqualTo(500);
        assertThat(response.getResponse().getMessage()).isEqualTo("cannot get package for chaincode (ghost:1.0)");
        assertThat(ProposalResponsePayload.parseFrom(response.getPayload()).getProposalHash().toByteArray())
                .isEqualTo(SeedFlowTest.expectedProposalHash(proposal));
        assertThat(response.hasEndorsement()).isFalse();
    }

    @Test
    void expiredClientCertificateIsRefusedByTheAuthFilter() {
        final Instant now = Instant.now();
        final Enrollment old = peer.org1.ca().issue("Old@org1.example.com", NodeRole.CLIENT,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        final SigningIdentity expired = peer.org1.signer(old);
        final ProposalRejectedException e = rejected(invoke().build(expired).signedProposal());
        assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.AUTH_FILTER);
        assertThat(e).hasMessage("identity expired");
    }

    @Test
    void esccAndVsccCannotBeInvokedThroughAProposal() {
        for (final String name : new String[] {"escc", "vscc"}) {
            final ProposalRejectedException e = rejected(ProposalBuilder.invoke(TestPeer.CHANNEL, name)
                    .args("anything").build(peer.client()).signedProposal());
            assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.NOT_INVOKABLE);
            assertThat(e).hasMessage("chaincode " + name + " cannot be invoked through a proposal");
        }
    }

    @Test
    void unknownChannelIsIndistinguishableFromABadSignature() {
        assertThat(rejected(ProposalBuilder.invoke("otherchannel", "mycc").args("query", "a").build(peer.client())
                .signedProposal())).hasMessage("access denied: channel [otherchannel] creator org [Org1MSP]");
    }

    @Test
    void channelLessInstallByANonAdminIsRefusedByLscc() throws Exception {
        final ProposalBuilder install = ProposalBuilder.install(ExamplePackages.spec("other", "1.0",
                ExamplePackages.jar(ExamplePackages.EXAMPLE02, dir.resolve("jars"))));
        final var response = peer.endorser.processProposal(install.build(peer.client()).signedProposal());
        assertThat(response.getResponse().getStatus()).isEqualTo(500);
        assertThat(response.getResponse().getMessage()).startsWith("access denied for [install]: ");
        assertThat(response.hasEndorsement()).isFalse();
        assertThat(peer.store.get("other", "1.0")).isEmpty();
    }
}
