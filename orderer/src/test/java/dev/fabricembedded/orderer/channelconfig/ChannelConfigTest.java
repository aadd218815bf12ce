package dev.fabricembedded.orderer.channelconfig;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.orderer.testing.TestNetwork;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Profile → genesis block → {@link ChannelConfig}: settings survive, policies evaluate with real identities. */
class ChannelConfigTest {

    private final TestNetwork net = TestNetwork.get();

    @Test
    void roundTripGivesTheProfileSettings() {
        BatchSettings batch = new BatchSettings(7, 1024 * 1024, 64 * 1024, Duration.ofMillis(150));
        ChannelProfile profile = net.profile("roundtrip").batchSettings(batch)
                .channelCapabilities(ChannelCapabilities.of("V1_4_3", "V1_3"))
                .applicationCapabilities(ApplicationCapabilities.of("V1_3"))
                .ordererCapabilities(OrdererCapabilities.of("V1_1"))
                .ordererAddresses(List.of("orderer0:7050", "orderer1:7050"))
                .consortium("MyConsortium")
                .build();

        ChannelConfig config = ChannelConfig.fromGenesisBlock(profile.genesisBlock());

        assertThat(config.channelId()).isEqualTo("roundtrip");
        assertThat(config.sequence()).isZero();
        assertThat(config.hashingAlgorithm()).isEqualTo("SHA256");
        assertThat(config.batchSettings()).isEqualTo(batch);
        assertThat(config.consensusType()).isEqualTo("solo");
        assertThat(config.ordererAddresses()).containsExactly("orderer0:7050", "orderer1:7050");
        assertThat(config.consortium()).isEqualTo("MyConsortium");
        assertThat(config.channelCapabilities()).isEqualTo(profile.channelCapabilities());
        assertThat(config.applicationCapabilities()).isEqualTo(profile.applicationCapabilities());
        assertThat(config.ordererCapabilities()).isEqualTo(profile.ordererCapabilities());
        assertThat(config.applicationMspIds()).containsExactly("Org1MSP", "Org2MSP");
        assertThat(config.ordererMspIds()).containsExactly("OrdererMSP");
        assertThat(config.applicationOrganizations()).extracting(OrganizationConfig::name)
                .containsExactly("Org1MSP", "Org2MSP");
        assertThat(config.applicationOrganizations().get(0).mspConfig().toProto())
                .isEqualTo(net.org1.mspConfig().toProto());
        assertThat(config.mspManager().msps()).containsOnlyKeys("Org1MSP", "Org2MSP", "OrdererMSP");
        assertThat(config.config()).isEqualTo(Config.newBuilder().setChannelGroup(profile.channelGroup()).build());
    }

    @Test
    void defaultsRoundTripToo() {
        ChannelConfig config = ChannelConfig.fromGenesisBlock(net.profile("defaults").build().genesisBlock());
        assertThat(config.batchSettings()).isEqualTo(BatchSettings.EMBEDDED_DEFAULT);
        assertThat(config.channelCapabilities().names()).containsExactly("V1_4_3");
        assertThat(config.applicationCapabilities().names()).containsExactly("V1_4_2");
        assertThat(config.ordererCapabilities().names()).containsExactly("V1_4_2");
        assertThat(config.mspVersion()).isEqualTo(MspVersion.V1_4_3);
        assertThat(config.consortium()).isEqualTo("SampleConsortium");
    }

    @Test
    void channelPoliciesEvaluateWithRealIdentities() {
        ChannelConfig config = ChannelConfig.fromGenesisBlock(net.profile("policies").build().genesisBlock());
        SigningIdentity org1Client = net.org1.signer(NodeRole.CLIENT);
        SigningIdentity org1Peer = net.org1.signer(NodeRole.PEER);
        SigningIdentity org1Admin = net.org1.signer(NodeRole.ADMIN);
        SigningIdentity org2Admin = net.org2.signer(NodeRole.ADMIN);
        SigningIdentity ordererNode = net.ordererSigner();
        SigningIdentity ordererAdmin = net.ordererOrg.signer(NodeRole.ADMIN);
        SigningIdentity outsider = net.outsider.signer(NodeRole.CLIENT);

        assertSatisfied(config, "/Channel/Application/Writers", org1Client);
        assertSatisfied(config, "/Channel/Writers", org1Client);
        assertNotSatisfied(config, "/Channel/Application/Writers", org1Peer);
        assertSatisfied(config, "/Channel/Application/Readers", org1Peer);
        assertSatisfied(config, "/Channel/Readers", org1Peer);
        assertNotSatisfied(config, "/Channel/Writers", outsider);

        assertSatisfied(config, "/Channel/Application/Org1MSP/Admins", org1Admin);
        assertNotSatisfied(config, "/Channel/Application/Org1MSP/Admins", org1Client);
        assertNotSatisfied(config, "/Channel/Application/Org1MSP/Admins", org2Admin);
        // MAJORITY of two organisations needs both admins
        assertNotSatisfied(config, "/Channel/Application/Admins", org1Admin);
        assertSatisfied(config, "/Channel/Application/Admins", org1Admin, org2Admin);
        // /Channel/Admins = MAJORITY of {Application/Admins, Orderer/Admins} = both groups
        assertNotSatisfied(config, "/Channel/Admins", org1Admin, org2Admin);
        assertSatisfied(config, "/Channel/Admins", org1Admin, org2Admin, ordererAdmin);

        assertSatisfied(config, "/Channel/Orderer/BlockValidation", ordererNode);
        assertNotSatisfied(config, "/Channel/Orderer/BlockValidation", org1Peer);
        // orderer members are channel writers (ANY Writers over Application and Orderer)
        assertSatisfied(config, "/Channel/Writers", ordererNode);

        PolicyResult missing = config.evaluate("/Channel/Application/Endorsement", sign(List.of(org1Peer)));
        assertThat(missing.code()).isEqualTo(PolicyResult.Code.NO_SUCH_POLICY);
        assertThat(missing.message()).isEqualTo("No such policy: 'Application/Endorsement'");
        assertThat(config.findPolicy("/Channel/Orderer/BlockValidation")).isPresent();
    }

    @Test
    void failureTextsAreFabricImplicitMetaTexts() {
        ChannelConfig config = ChannelConfig.fromGenesisBlock(net.profile("texts").build().genesisBlock());
        PolicyResult result = config.evaluate("/Channel/Writers",
                sign(List.of(net.outsider.signer(NodeRole.CLIENT))));
        assertThat(result.message()).isEqualTo("implicit policy evaluation failed - 0 sub-policies were satisfied, "
                + "but this policy requires 1 of the 'Writers' sub-policies to be satisfied");
    }

    @Test
    void capabilityFlagsFollowFabric14() {
        ApplicationCapabilities v12 = ApplicationCapabilities.of("V1_2");
        assertThat(v12.privateChannelData()).isTrue();
        assertThat(v12.v1_2Validation()).isTrue();
        assertThat(v12.v1_3Validation()).isFalse();
        assertThat(v12.keyLevelEndorsement()).isFalse();
        assertThat(v12.forbidDuplicateTxIdInBlock()).isTrue();
        ApplicationCapabilities v142 = ApplicationCapabilities.DEFAULT;
        assertThat(v142.keyLevelEndorsement()).isTrue();
        assertThat(v142.storePvtDataOfInvalidTx()).isTrue();
        assertThat(v142.acls()).isTrue();
        ApplicationCapabilities none = ApplicationCapabilities.of();
        assertThat(none.v1_1Validation()).isFalse();
        assertThat(none.privateChannelData()).isFalse();
        assertThat(ApplicationCapabilities.of("V1_1_PVTDATA_EXPERIMENTAL").privateChannelData()).isTrue();

        assertThat(ChannelCapabilities.of("V1_3").mspVersion()).isEqualTo(MspVersion.V1_3);
        assertThat(ChannelCapabilities.of("V1_4_2").mspVersion()).isEqualTo(MspVersion.V1_3);
        assertThat(ChannelCapabilities.of("V1_1").mspVersion()).isEqualTo(MspVersion.V1_1);
        assertThat(ChannelCapabilities.of().mspVersion()).isEqualTo(MspVersion.V1_0);
        assertThat(OrdererCapabilities.of().expirationCheck()).isFalse();
        assertThat(OrdererCapabilities.of("V1_1").expirationCheck()).isTrue();
        assertThat(OrdererCapabilities.of("V1_4_2").consensusTypeMigration()).isTrue();
        assertThat(ApplicationCapabilities.of("V2_0").unsupported())
                .contains("Application capability V2_0 is required but not supported");
    }

    @Test
    void rejectsBlocksThatAreNotGenesisConfigBlocks() {
        Block genesis = net.profile("bad").build().genesisBlock();
        assertThatThrownBy(() -> ChannelConfig.fromGenesisBlock(genesis.toBuilder()
                .setHeader(genesis.getHeader().toBuilder().setNumber(3)).build()))
                .isInstanceOf(InvalidChannelConfigException.class).hasMessage("a genesis block has number 0, this one has 3");
        byte[] tampered = genesis.getData().getData(0).toByteArray();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> ChannelConfig.fromGenesisBlock(genesis.toBuilder()
                .setData(genesis.getData().toBuilder().setData(0, ByteString.copyFrom(tampered))).build()))
                .hasMessageContaining("Header.DataHash is different from Hash(block.Data)");
        Block normalTx = blockOf(net.envelope("bad", net.client(), 10, HeaderType.ENDORSER_TRANSACTION)
                .toByteString());
        assertThatThrownBy(() -> ChannelConfig.fromGenesisBlock(normalTx))
                .hasMessage("not a config transaction: header type 3, expected CONFIG (1)");
    }

    @Test
    void rejectsConfigurationsFabricRejects() {
        ConfigGroup group = net.profile("bad").build().channelGroup();

        ConfigGroup badTimeout = group.toBuilder().putGroups("Orderer", group.getGroupsOrThrow("Orderer").toBuilder()
                .putValues("BatchTimeout", ConfigValue.newBuilder().setValue(BatchTimeout.newBuilder()
                        .setTimeout("abc").build().toByteString()).build()).build()).build();
        assertThatThrownBy(() -> parse(badTimeout)).isInstanceOf(InvalidChannelConfigException.class)
                .hasMessage("channel bad: Attempted to set the batch timeout to a invalid value: "
                        + "time: invalid duration \"abc\"");

        ConfigGroup badWidth = group.toBuilder().putValues("BlockDataHashingStructure", ConfigValue.newBuilder()
                .setValue(BlockDataHashingStructure.newBuilder().setWidth(2).build().toByteString()).build()).build();
        assertThatThrownBy(() -> parse(badWidth))
                .hasMessage("channel bad: BlockDataHashStructure width only supported at MaxUint32 in this version");

        ConfigGroup noOrderer = group.toBuilder().removeGroups("Orderer").build();
        assertThatThrownBy(() -> parse(noOrderer)).hasMessage("channel bad: channel configuration has no Orderer group");

        ConfigGroup unknownCapability = group.toBuilder().putValues("Capabilities", ConfigValue.newBuilder()
                .setValue(ChannelCapabilities.of("V3_0").toProto().toByteString()).build()).build();
        assertThatThrownBy(() -> parse(unknownCapability))
                .hasMessage("channel bad: Channel capability V3_0 is required but not supported");

        ConfigGroup org1NoMsp = group.toBuilder().putGroups("Application", group.getGroupsOrThrow("Application")
                .toBuilder().putGroups("Org1MSP", group.getGroupsOrThrow("Application").getGroupsOrThrow("Org1MSP")
                        .toBuilder().removeValues("MSP").build()).build()).build();
        assertThatThrownBy(() -> parse(org1NoMsp))
                .hasMessage("channel bad: application organization Org1MSP has no MSP value");

        assertThatThrownBy(() -> ChannelConfig.fromConfig("Bad", Config.newBuilder().setChannelGroup(group).build()))
                .hasMessage("channel ID 'Bad' contains illegal characters");
    }

    private static ChannelConfig parse(ConfigGroup group) {
        return ChannelConfig.fromConfig("bad", Config.newBuilder().setChannelGroup(group).build());
    }

    private static Block blockOf(ByteString envelope) {
        var data = org.hyperledger.fabric.protos.common.BlockData.newBuilder().addData(envelope).build();
        return Block.newBuilder().setHeader(org.hyperledger.fabric.protos.common.BlockHeader.newBuilder()
                .setDataHash(ByteString.copyFrom(dev.fabricembedded.ledger.block.BlockHashes.dataHash(data))))
                .setData(data).build();
    }

    private static List<SignedData> sign(List<SigningIdentity> signers) {
        byte[] data = "policy check".getBytes(StandardCharsets.UTF_8);
        return signers.stream().map(s -> SignedData.of(data, s.serialize(), s.sign(data))).toList();
    }

    private static void assertSatisfied(ChannelConfig config, String path, SigningIdentity... signers) {
        assertThat(config.evaluate(path, sign(Arrays.asList(signers))).isSatisfied())
                .as("%s by %s", path, Arrays.stream(signers).map(s -> s.certificate().commonName()).toList())
                .isTrue();
    }

    private static void assertNotSatisfied(ChannelConfig config, String path, SigningIdentity... signers) {
        assertThat(config.evaluate(path, sign(Arrays.asList(signers))).isSatisfied())
                .as("%s by %s", path, Arrays.stream(signers).map(s -> s.certificate().commonName()).toList())
                .isFalse();
    }
}
