package dev.fabricembedded.orderer.channelconfig;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.policy.ImplicitMetaPolicy;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.orderer.testing.TestNetwork;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The genesis block a profile produces, checked field by field against configtxgen's layout. */
class ChannelProfileTest {

    private final TestNetwork net = TestNetwork.get();

    @Test
    void genesisBlockIsBlockZeroWithOneUnsignedConfigEnvelope() throws Exception {
        Block block = net.profile("mychannel").build().genesisBlock();

        assertThat(block.getHeader().getNumber()).isZero();
        assertThat(block.getHeader().getPreviousHash().isEmpty()).isTrue();
        assertThat(block.getData().getDataCount()).isEqualTo(1);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(block.getHeader().getDataHash().toByteArray())
                .isEqualTo(sha.digest(block.getData().getData(0).toByteArray()));

        Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
        assertThat(envelope.getSignature().isEmpty()).isTrue();
        Payload payload = Payload.parseFrom(envelope.getPayload());
        ChannelHeader channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        SignatureHeader signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        assertThat(channelHeader.getType()).isEqualTo(HeaderType.CONFIG_VALUE);
        assertThat(channelHeader.getVersion()).isEqualTo(1);
        assertThat(channelHeader.getChannelId()).isEqualTo("mychannel");
        assertThat(channelHeader.getEpoch()).isZero();
        assertThat(channelHeader.getTimestamp().getSeconds()).isPositive();
        assertThat(signatureHeader.getCreator().isEmpty()).isTrue();
        assertThat(signatureHeader.getNonce().size()).isEqualTo(24);
        assertThat(channelHeader.getTxId()).isEqualTo(HexFormat.of().formatHex(
                Sha256.digest(signatureHeader.getNonce().toByteArray())));

        ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(payload.getData());
        assertThat(configEnvelope.getConfig().getSequence()).isZero();
        assertThat(configEnvelope.hasLastUpdate()).isFalse();

        assertThat(block.getMetadata().getMetadataCount()).isEqualTo(5);
        Metadata lastConfig = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE));
        assertThat(LastConfig.parseFrom(lastConfig.getValue()).getIndex()).isZero();
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE).isEmpty()).isTrue();
    }

    @Test
    void channelGroupHasConfigtxgenKeysValuesAndPolicies() throws Exception {
        ChannelProfile profile = net.profile("mychannel")
                .batchSettings(new BatchSettings(10, 99 * 1024 * 1024, 512 * 1024, Duration.ofSeconds(2)))
                .build();
        ConfigGroup channel = profile.channelGroup();

        assertThat(channel.getModPolicy()).isEqualTo("Admins");
        assertThat(channel.getValuesMap()).containsOnlyKeys("HashingAlgorithm", "BlockDataHashingStructure",
                "OrdererAddresses", "Consortium", "Capabilities");
        assertThat(HashingAlgorithm.parseFrom(channel.getValuesOrThrow("HashingAlgorithm").getValue()).getName())
                .isEqualTo("SHA256");
        assertThat(BlockDataHashingStructure.parseFrom(channel.getValuesOrThrow("BlockDataHashingStructure")
                .getValue()).getWidth()).isEqualTo(0xFFFFFFFF);
        assertThat(OrdererAddresses.parseFrom(channel.getValuesOrThrow("OrdererAddresses").getValue())
                .getAddressesList()).containsExactly("orderer.example.com:7050");
        assertThat(channel.getValuesOrThrow("OrdererAddresses").getModPolicy()).isEqualTo("/Channel/Orderer/Admins");
        assertThat(channel.getValuesOrThrow("Capabilities").getModPolicy()).isEqualTo("Admins");
        assertThat(channel.getGroupsMap()).containsOnlyKeys("Application", "Orderer");
        assertImplicitMeta(channel.getPoliciesOrThrow("Readers").getPolicy(), 0 /* ANY */, "Readers");
        assertImplicitMeta(channel.getPoliciesOrThrow("Writers").getPolicy(), 0, "Writers");
        assertImplicitMeta(channel.getPoliciesOrThrow("Admins").getPolicy(), 2 /* MAJORITY */, "Admins");

        ConfigGroup orderer = channel.getGroupsOrThrow("Orderer");
        assertThat(orderer.getValuesMap()).containsOnlyKeys("BatchSize", "BatchTimeout", "ChannelRestrictions",
                "Capabilities", "ConsensusType");
        BatchSize batchSize = BatchSize.parseFrom(orderer.getValuesOrThrow("BatchSize").getValue());
        assertThat(batchSize.getMaxMessageCount()).isEqualTo(10);
        assertThat(batchSize.getAbsoluteMaxBytes()).isEqualTo(99 * 1024 * 1024);
        assertThat(batchSize.getPreferredMaxBytes()).isEqualTo(512 * 1024);
        assertThat(BatchTimeout.parseFrom(orderer.getValuesOrThrow("BatchTimeout").getValue()).getTimeout())
                .isEqualTo("2s");
        assertThat(ConsensusType.parseFrom(orderer.getValuesOrThrow("ConsensusType").getValue()).getType())
                .isEqualTo("solo");
        assertThat(orderer.getPoliciesMap()).containsOnlyKeys("Readers", "Writers", "Admins", "BlockValidation");
        assertImplicitMeta(orderer.getPoliciesOrThrow("BlockValidation").getPolicy(), 0, "Writers");
        assertThat(orderer.getGroupsMap()).containsOnlyKeys("OrdererMSP");

        ConfigGroup ordererOrg = orderer.getGroupsOrThrow("OrdererMSP");
        MSPConfig msp = MSPConfig.parseFrom(ordererOrg.getValuesOrThrow("MSP").getValue());
        assertThat(msp.getType()).isZero();
        FabricMSPConfig fabricMsp = FabricMSPConfig.parseFrom(msp.getConfig());
        assertThat(fabricMsp.getName()).isEqualTo("OrdererMSP");
        assertThat(fabricMsp.getRootCertsList()).containsExactly(net.ordererOrg.ca().certificatePem());
        assertThat(fabricMsp.getFabricNodeOus().getEnable()).isTrue();
        assertSignature(ordererOrg.getPoliciesOrThrow("Writers").getPolicy(), "OR('OrdererMSP.member')");
        assertSignature(ordererOrg.getPoliciesOrThrow("Admins").getPolicy(), "OR('OrdererMSP.admin')");

        ConfigGroup application = channel.getGroupsOrThrow("Application");
        assertThat(application.getGroupsMap()).containsOnlyKeys("Org1MSP", "Org2MSP");
        assertThat(application.getValuesMap()).containsOnlyKeys("Capabilities");
        ConfigGroup org1 = application.getGroupsOrThrow("Org1MSP");
        assertThat(org1.getModPolicy()).isEqualTo("Admins");
        assertSignature(org1.getPoliciesOrThrow("Readers").getPolicy(),
                "OR('Org1MSP.admin', 'Org1MSP.peer', 'Org1MSP.client')");
        assertSignature(org1.getPoliciesOrThrow("Writers").getPolicy(), "OR('Org1MSP.admin', 'Org1MSP.client')");
        assertSignature(org1.getPoliciesOrThrow("Admins").getPolicy(), "OR('Org1MSP.admin')");
        assertThat(org1.getPoliciesOrThrow("Admins").getModPolicy()).isEqualTo("Admins");
    }

    @Test
    void organizationWithoutNodeOusDefaultsToMemberPolicies() throws Exception {
        MspConfig plain = MspConfig.builder("PlainMSP").rootCert(net.org1.ca().certificatePem()).build();
        ChannelProfile profile = ChannelProfile.builder("plain").applicationOrganization(plain)
                .ordererOrganization(net.ordererOrg.mspConfig()).build();
        ConfigGroup org = profile.channelGroup().getGroupsOrThrow("Application").getGroupsOrThrow("PlainMSP");
        assertSignature(org.getPoliciesOrThrow("Readers").getPolicy(), "OR('PlainMSP.member')");
        assertSignature(org.getPoliciesOrThrow("Writers").getPolicy(), "OR('PlainMSP.member')");
    }

    @Test
    void declaredPoliciesAndNamesOverrideDefaults() throws Exception {
        OrganizationProfile org1 = OrganizationProfile.builder(net.org1.mspConfig()).name("Org1")
                .policy("Writers", PolicyDefinition.signature("OR('Org1MSP.member')")).build();
        ChannelProfile profile = ChannelProfile.builder("custom").applicationOrganization(org1)
                .ordererOrganization(net.ordererOrg.mspConfig())
                .applicationPolicy("Admins", PolicyDefinition.implicitMeta("ANY Admins"))
                .consortium("").ordererAddresses(List.of())
                .build();
        ConfigGroup channel = profile.channelGroup();
        assertThat(channel.getValuesMap()).doesNotContainKeys("Consortium", "OrdererAddresses");
        ConfigGroup application = channel.getGroupsOrThrow("Application");
        assertThat(application.getGroupsMap()).containsOnlyKeys("Org1");
        assertSignature(application.getGroupsOrThrow("Org1").getPoliciesOrThrow("Writers").getPolicy(),
                "OR('Org1MSP.member')");
        assertSignature(application.getGroupsOrThrow("Org1").getPoliciesOrThrow("Admins").getPolicy(),
                "OR('Org1MSP.admin')");
        assertImplicitMeta(application.getPoliciesOrThrow("Admins").getPolicy(), 0, "Admins");
    }

    @Test
    void builderRejectsIncompleteOrInconsistentProfiles() {
        assertThatThrownBy(() -> ChannelProfile.builder("c").ordererOrganization(net.ordererOrg.mspConfig()).build())
                .hasMessageContaining("at least one application organization");
        assertThatThrownBy(() -> ChannelProfile.builder("c").applicationOrganization(net.org1.mspConfig()).build())
                .hasMessageContaining("at least one orderer organization");
        assertThatThrownBy(() -> net.profile("c").applicationOrganization(net.org1.mspConfig()).build())
                .hasMessageContaining("application organization Org1MSP is defined twice");
        MspConfig otherOrg1 = MspConfig.builder("Org1MSP").rootCert(net.org2.ca().certificatePem()).build();
        assertThatThrownBy(() -> net.profile("c").ordererOrganization(OrganizationProfile.builder(otherOrg1)
                .name("Other").build()).build())
                .hasMessage("Attempted to define two different versions of MSP: Org1MSP");
        assertThatThrownBy(() -> net.profile("c").channelCapabilities(ChannelCapabilities.of("V9_9")).build())
                .hasMessage("Channel capability V9_9 is required but not supported");
        assertThatThrownBy(() -> OrganizationProfile.builder(net.org1.mspConfig()).name("bad/name").build())
                .hasMessageContaining("is not a valid configuration name");
    }

    @Test
    void channelIdsFollowFabricRules() {
        assertThatThrownBy(() -> ChannelProfile.builder("")).hasMessage("channel ID illegal, cannot be empty");
        assertThatThrownBy(() -> ChannelProfile.builder("MyChannel"))
                .hasMessage("channel ID 'MyChannel' contains illegal characters");
        assertThatThrownBy(() -> ChannelProfile.builder("1abc"))
                .hasMessage("channel ID '1abc' contains illegal characters");
        assertThatThrownBy(() -> ChannelProfile.builder("a".repeat(250)))
                .hasMessage("channel ID illegal, cannot be longer than 249");
        ChannelProfile.checkChannelId("my-channel.v2");
    }

    @Test
    void implicitMetaTextParsesAsConfigtxgenDoes() {
        assertThat(PolicyDefinition.implicitMeta("MAJORITY Admins"))
                .isEqualTo(PolicyDefinition.implicitMeta(ImplicitMetaPolicy.Rule.MAJORITY, "Admins"));
        assertThatThrownBy(() -> PolicyDefinition.implicitMeta("ANY"))
                .hasMessage("expected two space separated tokens, but got 1");
        assertThatThrownBy(() -> PolicyDefinition.implicitMeta("SOME Readers"))
                .hasMessage("unknown rule type 'SOME', expected ALL, ANY, or MAJORITY");
        PolicyDefinition signature = PolicyDefinition.signature("AND('Org1MSP.peer', 'Org2MSP.peer')");
        assertThat(PolicyDefinition.fromProto(signature.toProto())).isEqualTo(signature);
    }

    private static void assertImplicitMeta(Policy policy, int rule, String subPolicy)
            throws InvalidProtocolBufferException {
        assertThat(policy.getType()).isEqualTo(Policy.PolicyType.IMPLICIT_META_VALUE);
        var meta = org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.parseFrom(policy.getValue());
        assertThat(meta.getRuleValue()).isEqualTo(rule);
        assertThat(meta.getSubPolicy()).isEqualTo(subPolicy);
    }

    private static void assertSignature(Policy policy, String dsl) throws InvalidProtocolBufferException {
        assertThat(policy.getType()).isEqualTo(Policy.PolicyType.SIGNATURE_VALUE);
        assertThat(SignaturePolicyEnvelope.parseFrom(policy.getValue())).isEqualTo(PolicyDsl.parse(dsl));
    }
}
