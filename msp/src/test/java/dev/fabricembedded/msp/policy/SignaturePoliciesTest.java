package dev.fabricembedded.msp.policy;

import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SignaturePoliciesTest {

    @Test
    void signedByAnySortsTheMspIds() {
        SignaturePolicyEnvelope envelope = SignaturePolicies.signedByAnyMember(List.of("Org2MSP", "Org10MSP", "Org1MSP"));

        assertThat(envelope.getIdentitiesList()).containsExactly(
                SignaturePolicies.rolePrincipal("Org10MSP", MSPRole.MSPRoleType.MEMBER),
                SignaturePolicies.rolePrincipal("Org1MSP", MSPRole.MSPRoleType.MEMBER),
                SignaturePolicies.rolePrincipal("Org2MSP", MSPRole.MSPRoleType.MEMBER));
        assertThat(envelope.getRule()).isEqualTo(SignaturePolicies.nOutOf(1, List.of(SignaturePolicies.signedBy(0),
                SignaturePolicies.signedBy(1), SignaturePolicies.signedBy(2))));
        // the DSL equivalent with the same order gives the same bytes
        assertThat(PolicyDsl.parse("OR('Org10MSP.member', 'Org1MSP.member', 'Org2MSP.member')").toByteString())
                .isEqualTo(envelope.toByteString());
    }

    @Test
    void eachRoleBuilderUsesItsRole() {
        assertThat(SignaturePolicies.signedByAnyAdmin(List.of("A")).getIdentities(0))
                .isEqualTo(SignaturePolicies.rolePrincipal("A", MSPRole.MSPRoleType.ADMIN));
        assertThat(SignaturePolicies.signedByAnyClient(List.of("A")).getIdentities(0))
                .isEqualTo(SignaturePolicies.rolePrincipal("A", MSPRole.MSPRoleType.CLIENT));
        assertThat(SignaturePolicies.signedByAnyPeer(List.of("A")).getIdentities(0))
                .isEqualTo(SignaturePolicies.rolePrincipal("A", MSPRole.MSPRoleType.PEER));
    }

    @Test
    void signedByMspRoleIsOneOfOne() {
        assertThat(SignaturePolicies.signedByMspMember("Org1MSP")).isEqualTo(PolicyDsl.parse("OR('Org1MSP.member')"));
        assertThat(SignaturePolicies.signedByMspAdmin("Org1MSP")).isEqualTo(PolicyDsl.parse("OR('Org1MSP.admin')"));
        assertThat(SignaturePolicies.signedByMspClient("Org1MSP")).isEqualTo(PolicyDsl.parse("OR('Org1MSP.client')"));
        assertThat(SignaturePolicies.signedByMspPeer("Org1MSP")).isEqualTo(PolicyDsl.parse("OR('Org1MSP.peer')"));
    }

    @Test
    void acceptAllAndRejectAllAreNOutOfZeroAndOneOfNothing() {
        assertThat(SignaturePolicies.acceptAll().getRule().getNOutOf().getN()).isZero();
        assertThat(SignaturePolicies.acceptAll().getIdentitiesCount()).isZero();
        assertThat(SignaturePolicies.rejectAll().getRule().getNOutOf().getN()).isEqualTo(1);
    }
}
