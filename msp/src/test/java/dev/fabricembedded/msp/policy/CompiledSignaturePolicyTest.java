package dev.fabricembedded.msp.policy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.EcCurves;
import dev.fabricembedded.msp.crypto.EcdsaSignature;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompiledSignaturePolicyTest {

    private static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    private static final Organization ORG2 = Organization.generate("Org2MSP", "org2.example.com");
    private static final Organization ORG3 = Organization.generate("Org3MSP", "org3.example.com");
    private static final MspManager CHANNEL = MspManager.of(ORG1.msp(), ORG2.msp(), ORG3.msp());
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static SignedData signed(SigningIdentity signer) {
        byte[] data = ("payload " + COUNTER.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        return SignedData.of(data, signer.serialize(), signer.sign(data));
    }

    private static PolicyResult evaluate(String policy, SignedData... signatures) {
        return CompiledSignaturePolicy.compile(PolicyDsl.parse(policy), CHANNEL).evaluate(List.of(signatures));
    }

    private static SigningIdentity peer(Organization org) {
        return org.signer(NodeRole.PEER);
    }

    /** The proposal checks' first verification: through the channel's cached identity, remembered. */
    private static void verifyAndRemember(SignedData signedData) {
        assertThat(CHANNEL.deserializeIdentity(signedData.identity())
                .verifyAndRemember(signedData.data(), signedData.signature()).isValid()).isTrue();
    }

    @Test
    void aRememberedSignatureStillSatisfiesThePolicyAndATamperedOneDoesNot() {
        SignedData genuine = signed(ORG1.signer(NodeRole.CLIENT));
        verifyAndRemember(genuine);
        assertThat(evaluate("OR('Org1MSP.member')", genuine).isSatisfied()).isTrue();

        byte[] tampered = genuine.signature().toByteArray();
        tampered[tampered.length - 1] ^= 1;
        SignedData forged = new SignedData(genuine.data(), genuine.identity(), ByteString.copyFrom(tampered));
        assertThat(evaluate("OR('Org1MSP.member')", forged).message()).isEqualTo("signature set did not satisfy policy");
        SignedData otherData = new SignedData(ByteString.copyFromUtf8("other data"), genuine.identity(),
                genuine.signature());
        assertThat(evaluate("OR('Org1MSP.member')", otherData).isSatisfied()).isFalse();
    }

    @Test
    void aRememberedSignatureOfANonMemberStillFailsThePrincipalCheck() {
        SignedData org2 = signed(ORG2.signer(NodeRole.CLIENT));
        verifyAndRemember(org2);
        assertThat(evaluate("OR('Org1MSP.member')", org2).message()).isEqualTo("signature set did not satisfy policy");
        assertThat(evaluate("OR('Org2MSP.admin')", org2).isSatisfied()).isFalse();
        assertThat(evaluate("OR('Org2MSP.member')", org2).isSatisfied()).isTrue();
    }

    @Test
    void twoOfThreeIsSatisfiedByTwoOrganisations() {
        String twoOfThree = "OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')";
        assertThat(evaluate(twoOfThree, signed(peer(ORG1)), signed(peer(ORG3))).isSatisfied()).isTrue();
        assertThat(evaluate(twoOfThree, signed(peer(ORG3)), signed(peer(ORG2)), signed(peer(ORG1))).isSatisfied())
                .isTrue();

        PolicyResult one = evaluate(twoOfThree, signed(peer(ORG2)));
        assertThat(one.code()).isEqualTo(PolicyResult.Code.SIGNATURE_SET_NOT_SATISFIED);
        assertThat(one.message()).isEqualTo("signature set did not satisfy policy");
    }

    @Test
    void theSameIdentitySigningTwiceDoesNotSatisfyATwoOfPolicy() {
        SigningIdentity signer = peer(ORG1);
        assertThat(evaluate("OutOf(2, 'Org1MSP.member', 'Org1MSP.member')", signed(signer), signed(signer))
                .isSatisfied()).isFalse();
        assertThat(evaluate("OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')", signed(signer),
                signed(signer)).isSatisfied()).isFalse();
        // two different identities of the same organisation do satisfy it
        assertThat(evaluate("OutOf(2, 'Org1MSP.member', 'Org1MSP.member')", signed(signer),
                signed(ORG1.signer(NodeRole.CLIENT))).isSatisfied()).isTrue();
    }

    @Test
    void anAndOfTwoOrganisationsNeedsBoth() {
        String and = "AND('Org1MSP.member', 'Org2MSP.member')";
        assertThat(evaluate(and, signed(peer(ORG1))).message()).isEqualTo("signature set did not satisfy policy");
        assertThat(evaluate(and, signed(peer(ORG1)), signed(peer(ORG2))).isSatisfied()).isTrue();
    }

    @Test
    void outOfThreeOfTwoParsesButNeverPasses() {
        assertThat(evaluate("OutOf(3, 'Org1MSP.member', 'Org2MSP.member')", signed(peer(ORG1)), signed(peer(ORG2)),
                signed(peer(ORG3))).isSatisfied()).isFalse();
    }

    @Test
    void anOrOfAdminAndMemberIsSatisfiedByOneAdmin() {
        assertThat(evaluate("OR('Org1MSP.admin', 'Org1MSP.member')", signed(ORG1.signer(NodeRole.ADMIN)))
                .isSatisfied()).isTrue();
        assertThat(evaluate("AND('Org1MSP.admin', 'Org1MSP.member')", signed(ORG1.signer(NodeRole.ADMIN)))
                .isSatisfied()).isFalse();
    }

    @Test
    void badSignaturesDoNotCount() {
        SigningIdentity signer = peer(ORG2);
        byte[] data = "data".getBytes(StandardCharsets.UTF_8);
        byte[] good = signer.sign(data);
        EcdsaSignature low = EcdsaSignature.fromDer(good);
        byte[] highS = new EcdsaSignature(low.r(), EcCurves.P256.getN().subtract(low.s())).toDer();
        String and = "AND('Org1MSP.member', 'Org2MSP.member')";

        SignedData overOtherData = SignedData.of("other".getBytes(StandardCharsets.UTF_8), signer.serialize(), good);
        assertThat(evaluate(and, signed(peer(ORG1)), overOtherData).isSatisfied()).isFalse();
        assertThat(evaluate(and, signed(peer(ORG1)), SignedData.of(data, signer.serialize(), highS)).isSatisfied())
                .isFalse();
        assertThat(evaluate(and, signed(peer(ORG1)), SignedData.of(data, signer.serialize(), good)).isSatisfied())
                .isTrue();
    }

    @Test
    void signersThatDoNotDeserializeAreDropped() {
        byte[] data = "d".getBytes(StandardCharsets.UTF_8);
        SignedData garbage = SignedData.of(data, new byte[] {(byte) 0xff, 1}, new byte[] {1});
        SignedData unknownMsp = SignedData.of(data, SerializedIdentity.newBuilder().setMspid("Org9MSP")
                .setIdBytes(ORG1.peer().certificatePem()).build().toByteArray(), peer(ORG1).sign(data));
        assertThat(evaluate("OR('Org1MSP.member')", garbage, unknownMsp, signed(peer(ORG1))).isSatisfied()).isTrue();
        assertThat(evaluate("OR('Org1MSP.member')", garbage, unknownMsp).isSatisfied()).isFalse();
    }

    @Test
    void evaluationIsGreedyWithoutBacktrackingAsInFabric() {
        SignedData peerSignature = signed(peer(ORG1));
        SignedData clientSignature = signed(ORG1.signer(NodeRole.CLIENT));
        String policy = "AND('Org1MSP.member', 'Org1MSP.peer')";
        // the member rule takes the first valid signature, the peer's, and the peer rule finds no other peer
        assertThat(evaluate(policy, peerSignature, clientSignature).isSatisfied()).isFalse();
        assertThat(evaluate(policy, clientSignature, peerSignature).isSatisfied()).isTrue();
    }

    @Test
    void eachSignatureIsVerifiedAtMostOnceAndOnlyWhenNeeded() {
        CountingDeserializer counting = new CountingDeserializer(CHANNEL);
        // the first AND verifies Org1's signature then fails on Org3; the second reuses that verification
        SignaturePolicyEnvelope envelope = PolicyDsl.parse(
                "OR(AND('Org1MSP.member', 'Org3MSP.member'), AND('Org1MSP.member', 'Org2MSP.member'))");
        SignedData org1 = signed(peer(ORG1));
        SignedData org2 = signed(peer(ORG2));
        SignedData unrelated = signed(ORG1.signer(NodeRole.ADMIN));

        PolicyResult result = CompiledSignaturePolicy.compile(envelope, counting)
                .evaluate(List.of(org1, org2, unrelated));

        assertThat(result.isSatisfied()).isTrue();
        assertThat(counting.verifications(CHANNEL.deserializeIdentity(org1.identity()))).isEqualTo(1);
        assertThat(counting.verifications(CHANNEL.deserializeIdentity(org2.identity()))).isEqualTo(1);
        assertThat(counting.verifications(CHANNEL.deserializeIdentity(unrelated.identity()))).isZero();
        assertThat(counting.totalVerifications()).isEqualTo(2);
    }

    @Test
    void theTopLevelGateStopsAtItsNthSuccessButInnerGatesMarkEverySignature() {
        CountingDeserializer counting = new CountingDeserializer(CHANNEL);
        var twoOfThree = CompiledSignaturePolicy.compile(
                PolicyDsl.parse("OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')"), counting);
        assertThat(twoOfThree.evaluate(List.of(signed(peer(ORG1)), signed(peer(ORG2)), signed(peer(ORG3))))
                .isSatisfied()).isTrue();
        assertThat(counting.totalVerifications()).isEqualTo(2);

        // the inner OR marks both Org1 signatures (Fabric evaluates every rule of an inner gate), so the second
        // AND member finds no unused Org1 signature: results must stay Fabric's
        SignedData peer1 = signed(peer(ORG1));
        SignedData client1 = signed(ORG1.signer(NodeRole.CLIENT));
        assertThat(evaluate("AND(OR('Org1MSP.member', 'Org1MSP.member'), 'Org1MSP.member')", peer1, client1)
                .isSatisfied()).isFalse();
        assertThat(evaluate("AND(OutOf(1, 'Org1MSP.member'), 'Org1MSP.member')", peer1, client1).isSatisfied())
                .isTrue();
    }

    @Test
    void compileErrorsUseFabricsMessages() {
        SignaturePolicyEnvelope outOfRange = SignaturePolicies.envelope(
                SignaturePolicies.nOutOf(1, List.of(SignaturePolicies.signedBy(2))),
                List.of(SignaturePolicies.rolePrincipal("Org1MSP", org.hyperledger.fabric.protos.common.MSPRole
                        .MSPRoleType.MEMBER)));
        assertThatThrownBy(() -> CompiledSignaturePolicy.compile(outOfRange, CHANNEL))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("identity index out of range, requested 2, but identities length is 1");
        assertThatThrownBy(() -> CompiledSignaturePolicy.compile(outOfRange.toBuilder().setVersion(1).build(), CHANNEL))
                .hasMessage("This evaluator only understands messages of version 0, but version was 1");
        assertThatThrownBy(() -> CompiledSignaturePolicy.compile(outOfRange.toBuilder().clearRule().build(), CHANNEL))
                .hasMessage("Empty policy element");
        assertThatThrownBy(() -> CompiledSignaturePolicy.compile(ByteString.copyFrom(new byte[] {(byte) 0xff}), CHANNEL))
                .hasMessageStartingWith("Error unmarshaling to SignaturePolicy: ");
    }

    @Test
    void acceptAllAndRejectAll() {
        assertThat(CompiledSignaturePolicy.compile(SignaturePolicies.acceptAll(), CHANNEL).evaluate(List.of())
                .isSatisfied()).isTrue();
        assertThat(CompiledSignaturePolicy.compile(SignaturePolicies.rejectAll(), CHANNEL)
                .evaluate(List.of(signed(peer(ORG1)))).isSatisfied()).isFalse();
    }

    @Test
    void signedByAnyMemberOfTheChannelOrganisations() {
        var policy = CompiledSignaturePolicy.compile(
                SignaturePolicies.signedByAnyMember(List.of("Org3MSP", "Org1MSP")), CHANNEL);
        assertThat(policy.evaluate(List.of(signed(peer(ORG3)))).isSatisfied()).isTrue();
        assertThat(policy.evaluate(List.of(signed(peer(ORG2)))).isSatisfied()).isFalse();
    }
}
