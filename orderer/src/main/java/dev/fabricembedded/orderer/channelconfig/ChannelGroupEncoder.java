package dev.fabricembedded.orderer.channelconfig;

import com.google.protobuf.Message;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Consortium;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link ChannelProfile} as the channel configuration tree configtxgen 1.4 produces
 * ({@code common/tools/configtxgen/encoder}): the same group, value and policy keys, every element at version 0 with
 * {@code mod_policy = Admins}, except {@code OrdererAddresses} whose mod_policy is {@code /Channel/Orderer/Admins}.
 * Stateless.
 */
final class ChannelGroupEncoder {

    private ChannelGroupEncoder() {
    }

    static ConfigGroup encode(ChannelProfile profile) {
        ConfigGroup.Builder channel = ConfigGroup.newBuilder().setModPolicy(ConfigKeys.ADMINS);
        addPolicies(channel, profile.channelPolicies());
        addValue(channel, ConfigKeys.HASHING_ALGORITHM,
                HashingAlgorithm.newBuilder().setName(ConfigKeys.SHA256).build(), ConfigKeys.ADMINS);
        addValue(channel, ConfigKeys.BLOCK_DATA_HASHING_STRUCTURE,
                BlockDataHashingStructure.newBuilder().setWidth(ConfigKeys.BLOCK_DATA_HASHING_WIDTH).build(),
                ConfigKeys.ADMINS);
        if (!profile.ordererAddresses().isEmpty()) {
            addValue(channel, ConfigKeys.ORDERER_ADDRESSES,
                    OrdererAddresses.newBuilder().addAllAddresses(profile.ordererAddresses()).build(),
                    ConfigKeys.ORDERER_ADMINS);
        }
        if (!profile.consortium().isEmpty()) {
            addValue(channel, ConfigKeys.CONSORTIUM, Consortium.newBuilder().setName(profile.consortium()).build(),
                    ConfigKeys.ADMINS);
        }
        if (!profile.channelCapabilities().names().isEmpty()) {
            addValue(channel, ConfigKeys.CAPABILITIES, profile.channelCapabilities().toProto(), ConfigKeys.ADMINS);
        }
        channel.putGroups(ConfigKeys.ORDERER_GROUP, ordererGroup(profile));
        channel.putGroups(ConfigKeys.APPLICATION_GROUP, applicationGroup(profile));
        return channel.build();
    }

    private static ConfigGroup ordererGroup(ChannelProfile profile) {
        ConfigGroup.Builder orderer = ConfigGroup.newBuilder().setModPolicy(ConfigKeys.ADMINS);
        addPolicies(orderer, profile.ordererPolicies());
        addValue(orderer, ConfigKeys.BATCH_SIZE, profile.batchSettings().batchSizeProto(), ConfigKeys.ADMINS);
        addValue(orderer, ConfigKeys.BATCH_TIMEOUT, profile.batchSettings().batchTimeoutProto(), ConfigKeys.ADMINS);
        addValue(orderer, ConfigKeys.CHANNEL_RESTRICTIONS, ChannelRestrictions.newBuilder().setMaxCount(0).build(),
                ConfigKeys.ADMINS);
        if (!profile.ordererCapabilities().names().isEmpty()) {
            addValue(orderer, ConfigKeys.CAPABILITIES, profile.ordererCapabilities().toProto(), ConfigKeys.ADMINS);
        }
        addValue(orderer, ConfigKeys.CONSENSUS_TYPE, ConsensusType.newBuilder().setType(profile.consensusType())
                .build(), ConfigKeys.ADMINS);
        addOrganizations(orderer, profile.ordererOrganizations());
        return orderer.build();
    }

    private static ConfigGroup applicationGroup(ChannelProfile profile) {
        ConfigGroup.Builder application = ConfigGroup.newBuilder().setModPolicy(ConfigKeys.ADMINS);
        addPolicies(application, profile.applicationPolicies());
        if (!profile.applicationCapabilities().names().isEmpty()) {
            addValue(application, ConfigKeys.CAPABILITIES, profile.applicationCapabilities().toProto(),
                    ConfigKeys.ADMINS);
        }
        addOrganizations(application, profile.applicationOrganizations());
        return application.build();
    }

    private static void addOrganizations(ConfigGroup.Builder parent, List<OrganizationProfile> organizations) {
        for (OrganizationProfile org : organizations) {
            ConfigGroup.Builder group = ConfigGroup.newBuilder().setModPolicy(ConfigKeys.ADMINS);
            addPolicies(group, org.policies());
            addValue(group, ConfigKeys.MSP, org.mspConfig().toMspConfigProto(), ConfigKeys.ADMINS);
            parent.putGroups(org.name(), group.build());
        }
    }

    private static void addPolicies(ConfigGroup.Builder group, Map<String, PolicyDefinition> policies) {
        policies.forEach((name, policy) -> group.putPolicies(name,
                ConfigPolicy.newBuilder().setPolicy(policy.toProto()).setModPolicy(ConfigKeys.ADMINS).build()));
    }

    private static void addValue(ConfigGroup.Builder group, String key, Message value, String modPolicy) {
        group.putValues(key, ConfigValue.newBuilder().setValue(value.toByteString()).setModPolicy(modPolicy).build());
    }
}
