package dev.fabricembedded.endorser.auth;

import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ExpirationCheckTest {

    private static final ByteString GARBAGE = ByteString.copyFrom(new byte[] {0x0a, 0x05, 0x01});

    private static Organization org1;
    private static SigningIdentity expired;
    private static SigningIdentity valid;

    @BeforeAll
    static void identities() {
        org1 = Organization.generate("Org1MSP", "org1.example.com");
        final Instant now = Instant.now();
        final Enrollment old = org1.ca().issue("Old@org1.example.com", NodeRole.CLIENT,
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        expired = org1.signer(old);
        valid = org1.signer(NodeRole.CLIENT);
    }

    private static SignedProposal proposal(final SigningIdentity creator) {
        return ProposalBuilder.invoke("mychannel", "mycc").args("query", "a").build(creator).signedProposal();
    }

    @Test
    void expiredCreatorIsRefused() {
        final AuthFilterResult result = new ExpirationCheck().check(proposal(expired));
        assertThat(result.code()).isEqualTo(AuthFilterResult.Code.IDENTITY_EXPIRED);
        assertThat(result.message()).isEqualTo("identity expired");
    }

    @Test
    void creatorWithinItsValidityPasses() {
        assertThat(new ExpirationCheck().check(proposal(valid)).isPassed()).isTrue();
    }

    @Test
    void expiryIsJudgedByTheClock() {
        final Instant notAfter = valid.expiresAt();
        final ExpirationCheck justAfter = new ExpirationCheck(Clock.fixed(notAfter.plusSeconds(1), ZoneOffset.UTC));
        final ExpirationCheck atExpiry = new ExpirationCheck(Clock.fixed(notAfter, ZoneOffset.UTC));
        assertThat(justAfter.check(proposal(valid)).code()).isEqualTo(AuthFilterResult.Code.IDENTITY_EXPIRED);
        assertThat(atExpiry.check(proposal(valid)).isPassed()).isTrue();
    }

    @Test
    void creatorThatIsNoPemCertificateHasUnknownExpiryAndPasses() {
        final ClientProposal built = ProposalBuilder.invoke("mychannel", "mycc").args("q").build(valid);
        final ByteString notPem = SerializedIdentity.newBuilder().setMspid("Org1MSP")
                .setIdBytes(ByteString.copyFromUtf8("not a certificate")).build().toByteString();
        for (final ByteString creator : new ByteString[] {notPem, GARBAGE}) {
            final SignatureHeader header = built.signatureHeader().toBuilder().setCreator(creator).build();
            final SignedProposal signed = withHeader(built, built.header().toBuilder()
                    .setSignatureHeader(header.toByteString()).build().toByteString());
            assertThat(new ExpirationCheck().check(signed).isPassed()).isTrue();
        }
    }

    @Test
    void unparseableProposalHeaderOrSignatureHeaderIsRefused() {
        final ExpirationCheck check = new ExpirationCheck();
        final AuthFilterResult badProposal = check.check(SignedProposal.newBuilder().setProposalBytes(GARBAGE).build());
        assertThat(badProposal.code()).isEqualTo(AuthFilterResult.Code.MALFORMED_PROPOSAL);
        assertThat(badProposal.message()).startsWith("failed parsing proposal: error unmarshaling Proposal: ");

        final ClientProposal built = ProposalBuilder.invoke("mychannel", "mycc").args("q").build(valid);
        assertThat(check.check(withHeader(built, GARBAGE)).message())
                .startsWith("failed parsing header: error unmarshaling Header: ");
        assertThat(check.check(withHeader(built, Header.newBuilder().setSignatureHeader(GARBAGE).build()
                .toByteString())).message())
                .startsWith("failed parsing signature header: error unmarshaling SignatureHeader: ");
    }

    private static SignedProposal withHeader(final ClientProposal built, final ByteString header) {
        final Proposal proposal = built.proposal().toBuilder().setHeader(header).build();
        return SignedProposal.newBuilder().setProposalBytes(proposal.toByteString())
                .setSignature(built.signedProposal().getSignature()).build();
    }
}
