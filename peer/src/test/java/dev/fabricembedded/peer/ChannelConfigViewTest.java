package dev.fabricembedded.peer;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.orderer.channelconfig.ConfigKeys;
import dev.fabricembedded.orderer.channelconfig.GenesisBlockFactory;
import dev.fabricembedded.peer.committer.ChannelConfigView;
import dev.fabricembedded.scc.channel.AclResources;
import dev.fabricembedded.scc.channel.ChannelView;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.fabricembedded.peer.TestNetwork.ORDERER_ORG;
import static dev.fabricembedded.peer.TestNetwork.ORG1;
import static dev.fabricembedded.peer.TestNetwork.ORG2;
import static org.assertj.core.api.Assertions.assertThat;

/** The view of a joined channel, read from its configuration, as the endorser and the committer use it. */
class ChannelConfigViewTest {

    private static final String PROPOSE = "peer/Propose";

    @Test
    void organisationsCapabilitiesAndDefaultAclsComeFromTheConfiguration() {
        final ChannelView channel = ChannelConfigView.of(config(profile().channelGroup()));
        assertThat(channel.channelId()).isEqualTo("acl");
        assertThat(channel.applicationOrgs()).containsExactly("Org1MSP", "Org2MSP");
        assertThat(channel.capabilities().v1_3Validation()).isTrue();
        assertThat(channel.checkAcl(PROPOSE, signed(ORG2.signer(NodeRole.CLIENT))).isSatisfied()).isTrue();
        assertThat(channel.checkAcl(PROPOSE, signed(ORG1.signer(NodeRole.PEER))).message())
                .startsWith("Failed evaluating policy on signed data during check policy on channel [acl] with "
                        + "policy [/Channel/Application/Writers]");
        assertThat(channel.checkAcl(AclResources.LSCC_GET_CHAINCODE_DATA, signed(ORG1.signer(NodeRole.PEER)))
                .isSatisfied()).as("peers are Readers").isTrue();
    }

    @Test
    void theApplicationAclsValueOverridesTheDefaultsWithRelativeReferencesUnderApplication() {
        final ConfigGroup channelGroup = profile().channelGroup();
        final ConfigGroup application = channelGroup.getGroupsOrThrow(ConfigKeys.APPLICATION_GROUP).toBuilder()
                .putValues(ConfigKeys.ACLS, ConfigValue.newBuilder().setModPolicy("Admins")
                        .setValue(ACLs.newBuilder().putAcls(PROPOSE, APIResource.newBuilder()
                                .setPolicyRef("Readers").build()).build().toByteString()).build())
                .build();
        final ChannelView channel = ChannelConfigView.of(config(channelGroup.toBuilder()
                .putGroups(ConfigKeys.APPLICATION_GROUP, application).build()));
        assertThat(channel.checkAcl(PROPOSE, signed(ORG1.signer(NodeRole.PEER))).isSatisfied())
                .as("/Channel/Application/Readers admits peers").isTrue();
    }

    private static ChannelProfile profile() {
        return ChannelProfile.builder("acl").applicationOrganization(ORG1.mspConfig())
                .applicationOrganization(ORG2.mspConfig()).ordererOrganization(ORDERER_ORG.mspConfig()).build();
    }

    private static ChannelConfig config(final ConfigGroup channelGroup) {
        return ChannelConfig.fromGenesisBlock(GenesisBlockFactory.create("acl", channelGroup));
    }

    private static List<SignedData> signed(final SigningIdentity signer) {
        final byte[] data = "proposal".getBytes(StandardCharsets.UTF_8);
        return List.of(new SignedData(ByteString.copyFrom(data), signer.serialized(),
                ByteString.copyFrom(signer.sign(data))));
    }
}
