package dev.fabricembedded.msp.policy;

import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyGroupTest {

    private static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    private static final Organization ORG2 = Organization.generate("Org2MSP", "org2.example.com");
    private static final MspManager CHANNEL = MspManager.of(ORG1.msp(), ORG2.msp());

    private static List<SignedData> signedBy(SigningIdentity... signers) {
        byte[] data = "envelope payload".getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.stream(signers).map(s -> SignedData.of(data, s.serialize(), s.sign(data))).toList();
    }

    private static PolicyGroup orgGroup(Organization org) {
        return PolicyGroup.builder(org.mspId())
                .signaturePolicy("Readers", PolicyDsl.parse("OR('" + org.mspId() + ".member')"), CHANNEL)
                .signaturePolicy("Writers", PolicyDsl.parse("OR('" + org.mspId() + ".client', '" + org.mspId()
                        + ".admin')"), CHANNEL)
                .signaturePolicy("Admins", PolicyDsl.parse("OR('" + org.mspId() + ".admin')"), CHANNEL)
                .build();
    }

    private static PolicyGroup channel() {
        PolicyGroup application = PolicyGroup.builder("Application").group(orgGroup(ORG1)).group(orgGroup(ORG2))
                .implicitMeta("Readers", ImplicitMetaPolicy.Rule.ANY, "Readers")
                .implicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY, "Writers")
                .implicitMeta("Admins", ImplicitMetaPolicy.Rule.MAJORITY, "Admins")
                .build();
        return PolicyGroup.builder("Channel").group(application)
                .implicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY, "Writers").build();
    }

    @Test
    void channelWritersResolveToTheOrganisationsWriters() {
        Policy writers = channel().policy("/Channel/Application/Writers").orElseThrow();

        assertThat(writers.evaluate(signedBy(ORG2.signer(NodeRole.CLIENT))).isSatisfied()).isTrue();
        PolicyResult peerOnly = writers.evaluate(signedBy(ORG2.signer(NodeRole.PEER)));
        assertThat(peerOnly.message()).isEqualTo("implicit policy evaluation failed - 0 sub-policies were satisfied, "
                + "but this policy requires 1 of the 'Writers' sub-policies to be satisfied");
        assertThat(channel().policy("Application/Writers")).isPresent();
        assertThat(channel().policyOrReject("/Channel/Writers").evaluate(signedBy(ORG1.signer(NodeRole.ADMIN)))
                .isSatisfied()).isTrue();
    }

    @Test
    void majorityOfAdminsNeedsBothOfTwoOrganisations() {
        Policy admins = channel().policy("/Channel/Application/Admins").orElseThrow();
        assertThat(admins.evaluate(signedBy(ORG1.signer(NodeRole.ADMIN))).isSatisfied()).isFalse();
        assertThat(admins.evaluate(signedBy(ORG1.signer(NodeRole.ADMIN), ORG2.signer(NodeRole.ADMIN))).isSatisfied())
                .isTrue();
    }

    @Test
    void missingPoliciesAreRejectedWithFabricsMessage() {
        PolicyGroup channel = channel();
        assertThat(channel.policy("/Channel/Application/Nope")).isEmpty();
        assertThat(channel.policy("/Other/Writers")).isEmpty();
        PolicyResult result = channel.policyOrReject("/Channel/Application/Nope").evaluate(List.of());
        assertThat(result.code()).isEqualTo(PolicyResult.Code.NO_SUCH_POLICY);
        assertThat(result.message()).isEqualTo("No such policy: 'Application/Nope'");
        assertThat(channel.policyOrReject("/Other/Writers").evaluate(List.of()).message())
                .isEqualTo("No such policy: '/Other/Writers'");
    }

    @Test
    void buildsTheSameTreeFromAChannelConfigGroup() {
        ConfigGroup org1 = configGroup(ORG1);
        ConfigGroup org2 = configGroup(ORG2);
        ConfigGroup application = ConfigGroup.newBuilder().putGroups("Org1MSP", org1).putGroups("Org2MSP", org2)
                .putPolicies("Writers", implicitMeta(org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.ANY,
                        "Writers"))
                .build();
        ConfigGroup channel = ConfigGroup.newBuilder().putGroups("Application", application).build();

        PolicyGroup tree = PolicyGroup.fromConfigGroup("Channel", channel, CHANNEL);

        Policy writers = tree.policy("/Channel/Application/Writers").orElseThrow();
        assertThat(writers).isInstanceOf(ImplicitMetaPolicy.class);
        assertThat(writers.evaluate(signedBy(ORG1.signer(NodeRole.CLIENT))).isSatisfied()).isTrue();
        assertThat(writers.evaluate(signedBy(ORG1.signer(NodeRole.PEER))).isSatisfied()).isFalse();

        ConfigGroup unknownType = ConfigGroup.newBuilder().putPolicies("Odd", ConfigPolicy.newBuilder()
                .setPolicy(org.hyperledger.fabric.protos.common.Policy.newBuilder().setType(2)).build()).build();
        assertThatThrownBy(() -> PolicyGroup.fromConfigGroup("Channel", unknownType, CHANNEL))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("policy Odd at path Channel did not compile: Unknown policy type: 2");
    }

    private static ConfigGroup configGroup(Organization organization) {
        return ConfigGroup.newBuilder().putPolicies("Writers", ConfigPolicy.newBuilder().setPolicy(
                org.hyperledger.fabric.protos.common.Policy.newBuilder()
                        .setType(org.hyperledger.fabric.protos.common.Policy.PolicyType.SIGNATURE_VALUE)
                        .setValue(PolicyDsl.parse("OR('" + organization.mspId() + ".client')").toByteString())).build())
                .build();
    }

    private static ConfigPolicy implicitMeta(org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule rule,
            String subPolicy) {
        return ConfigPolicy.newBuilder().setPolicy(org.hyperledger.fabric.protos.common.Policy.newBuilder()
                .setType(org.hyperledger.fabric.protos.common.Policy.PolicyType.IMPLICIT_META_VALUE)
                .setValue(org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.newBuilder().setRule(rule)
                        .setSubPolicy(subPolicy).build().toByteString())).build();
    }
}
