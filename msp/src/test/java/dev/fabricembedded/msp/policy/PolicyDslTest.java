package dev.fabricembedded.msp.policy;

import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyDslTest {

    // Built here with the raw protobuf builders, independently of SignaturePolicies and PolicyDsl.
    private static SignaturePolicy signedBy(int i) {
        return SignaturePolicy.newBuilder().setSignedBy(i).build();
    }

    private static SignaturePolicy outOf(int n, SignaturePolicy... rules) {
        return SignaturePolicy.newBuilder().setNOutOf(SignaturePolicy.NOutOf.newBuilder().setN(n)
                .addAllRules(List.of(rules))).build();
    }

    private static MSPPrincipal principal(String mspId, MSPRole.MSPRoleType role) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build().toByteString()).build();
    }

    private static SignaturePolicyEnvelope envelope(SignaturePolicy rule, MSPPrincipal... identities) {
        return SignaturePolicyEnvelope.newBuilder().setVersion(0).setRule(rule).addAllIdentities(List.of(identities))
                .build();
    }

    @Test
    void testComplex1IsByteIdenticalToFabric() {
        // Fabric's policyparser_test.go TestComplex1: identities [B, C, A],
        // rule OutOf(1, SignedBy(2), OutOf(2, SignedBy(0), SignedBy(1)))
        SignaturePolicyEnvelope expected = envelope(outOf(1, signedBy(2), outOf(2, signedBy(0), signedBy(1))),
                principal("B", MSPRole.MSPRoleType.MEMBER), principal("C", MSPRole.MSPRoleType.MEMBER),
                principal("A", MSPRole.MSPRoleType.MEMBER));

        SignaturePolicyEnvelope parsed = PolicyDsl.parse("OR('A.member', AND('B.member', 'C.member'))");

        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.toByteArray()).isEqualTo(expected.toByteArray());
        // the wire bytes written out by hand (proto3: oneof members are always encoded, enum 0 and n=0 are not)
        assertThat(HexFormat.of().formatHex(parsed.toByteArray())).isEqualTo(
                "1216" + "1214" + "0801" + "12020802" + "120c" + "120a" + "0802" + "12020800" + "12020801"
                        + "1a0512030a0142" + "1a0512030a0143" + "1a0512030a0141");
    }

    @Test
    void testComplex2NumbersNestedGatesFirstInOrder() {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse("OR(AND('A.member', 'B.member'), OR('C.admin', 'D.member'))");
        assertThat(parsed).isEqualTo(envelope(outOf(1, outOf(2, signedBy(0), signedBy(1)),
                        outOf(1, signedBy(2), signedBy(3))),
                principal("A", MSPRole.MSPRoleType.MEMBER), principal("B", MSPRole.MSPRoleType.MEMBER),
                principal("C", MSPRole.MSPRoleType.ADMIN), principal("D", MSPRole.MSPRoleType.MEMBER)));
    }

    @Test
    void aGatesOwnPrincipalsComeAfterAllItsNestedGates() {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(
                "AND('A.peer', OR('B.member','C.member'), 'D.client', OutOf(1, 'E.orderer'))");
        assertThat(parsed.getIdentitiesList()).containsExactly(principal("B", MSPRole.MSPRoleType.MEMBER),
                principal("C", MSPRole.MSPRoleType.MEMBER), principal("E", MSPRole.MSPRoleType.ORDERER),
                principal("A", MSPRole.MSPRoleType.PEER), principal("D", MSPRole.MSPRoleType.CLIENT));
        assertThat(parsed.getRule()).isEqualTo(outOf(4, signedBy(3), outOf(1, signedBy(0), signedBy(1)), signedBy(4),
                outOf(1, signedBy(2))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AND('A.member', 'B.member')", "and('A.member', 'B.member')", "And('A.member','B.member')",
            "OutOf(2, 'A.member', 'B.member')", "outof(2,'A.member','B.member')", "OUTOF('2', 'A.member', 'B.member')",
            "  AND ( 'A.member' ,\n 'B.member' ) "})
    void gateSpellingsAndNumericStringsAreEquivalent(String policy) {
        assertThat(PolicyDsl.parse(policy)).isEqualTo(envelope(outOf(2, signedBy(0), signedBy(1)),
                principal("A", MSPRole.MSPRoleType.MEMBER), principal("B", MSPRole.MSPRoleType.MEMBER)));
    }

    @Test
    void mspIdsMayContainDotsAndDashesAndEachOccurrenceIsANewIdentity() {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(
                "OR('MSP.member', 'MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.member', 'MSP.member')");
        assertThat(parsed.getIdentitiesList()).containsExactly(principal("MSP", MSPRole.MSPRoleType.MEMBER),
                principal("MSP.WITH.DOTS", MSPRole.MSPRoleType.MEMBER),
                principal("MSP-WITH-DASHES", MSPRole.MSPRoleType.MEMBER), principal("MSP", MSPRole.MSPRoleType.MEMBER));
    }

    @Test
    void outOfWithTEqualToNPlusOneParsesButTPlusTwoDoesNot() {
        assertThat(PolicyDsl.parse("OutOf(3, 'A.member', 'B.member')").getRule().getNOutOf().getN()).isEqualTo(3);
        assertThatThrownBy(() -> PolicyDsl.parse("OutOf(4, 'A.member', 'B.member')"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("Invalid t-out-of-n predicate, t 4, n 2");
        assertThatThrownBy(() -> PolicyDsl.parse("OutOf(-1, 'A.member', 'B.member')"))
                .hasMessage("Invalid t-out-of-n predicate, t -1, n 2");
    }

    @Test
    void unknownTokensAreNamed() {
        assertThatThrownBy(() -> PolicyDsl.parse("OR('A.member', Bmember)"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("unrecognized token 'Bmember' in policy string");
        assertThatThrownBy(() -> PolicyDsl.parse("OR('A.member', 'Bmember')"))
                .hasMessage("unrecognized token 'Bmember' in policy string");
        assertThatThrownBy(() -> PolicyDsl.parse("OR('A.member', 'B.nonexistentRole')"))
                .hasMessage("unrecognized token 'B.nonexistentRole' in policy string");
        assertThatThrownBy(() -> PolicyDsl.parse("XOR('A.member', 'B.member')"))
                .hasMessage("unrecognized token 'XOR' in policy string");
        assertThatThrownBy(() -> PolicyDsl.parse("aNd('A.member', 'B.member')"))
                .hasMessage("unrecognized token 'aNd' in policy string");
        assertThatThrownBy(() -> PolicyDsl.parse("'A.member'"))
                .hasMessage("unrecognized token 'A.member' in policy string");
        assertThatThrownBy(() -> PolicyDsl.parse("OR('A.member') junk"))
                .hasMessage("unrecognized token 'junk' in policy string");
        assertThatThrownBy(() -> PolicyDsl.parse("OR('A.Member')"))
                .hasMessage("unrecognized token 'A.Member' in policy string");
    }

    @Test
    void structuralErrorsAreReported() {
        assertThatThrownBy(() -> PolicyDsl.parse("OutOf(1)"))
                .hasMessage("Expected at least two arguments to NOutOf. Given 1");
        assertThatThrownBy(() -> PolicyDsl.parse("AND()"))
                .hasMessage("Expected at least two arguments to NOutOf. Given 1");
        assertThatThrownBy(() -> PolicyDsl.parse("AND('A.member', 'B.member'"))
                .hasMessage("Unbalanced parenthesis");
        assertThatThrownBy(() -> PolicyDsl.parse("OR(1, 'A.member')"))
                .hasMessageStartingWith("Unexpected type float64");
        assertThatThrownBy(() -> PolicyDsl.parse("OutOf(OR('A.member'), 'B.member')"))
                .hasMessage("Unrecognized type, expected a number, got *common.SignaturePolicy");
        assertThatThrownBy(() -> PolicyDsl.parse("OR('A.member' % 'B.member')"))
                .hasMessage("unrecognized token '%' in policy string");
    }
}
