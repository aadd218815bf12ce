package dev.fabricembedded.orderer.channelconfig;

import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.orderer.testing.TestNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** configtx.yaml-style profiles over MSP folders written in cryptogen's layout. */
class ChannelProfileYamlTest {

    private static final String CONFIGTX = """
            Organizations:
                - &OrdererOrg
                    Name: OrdererOrg
                    ID: OrdererMSP
                    MSPDir: crypto/ordererOrganizations/example.com/msp
                    Policies:
                        Readers: { Type: Signature, Rule: "OR('OrdererMSP.member')" }
                        Writers: { Type: Signature, Rule: "OR('OrdererMSP.member')" }
                        Admins: { Type: Signature, Rule: "OR('OrdererMSP.admin')" }
                - &Org1
                    Name: Org1MSP
                    ID: Org1MSP
                    MSPDir: crypto/peerOrganizations/org1.example.com/msp
                    AnchorPeers:
                        - Host: peer0.org1.example.com
                          Port: 7051
                - &Org2
                    Name: Org2MSP
                    ID: Org2MSP
                    MSPDir: crypto/peerOrganizations/org2.example.com/msp
                    Policies:
                        Writers: { Type: Signature, Rule: "OR('Org2MSP.member')" }
            Capabilities:
                Channel: &ChannelCapabilities
                    V1_4_3: true
                    V1_3: false
                    V1_1: false
                Orderer: &OrdererCapabilities
                    V1_4_2: true
                    V1_1: false
                Application: &ApplicationCapabilities
                    V1_4_2: true
                    V1_3: false
            Application: &ApplicationDefaults
                Organizations:
                Policies:
                    Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
                    Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
                    Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
                Capabilities:
                    <<: *ApplicationCapabilities
            Orderer: &OrdererDefaults
                OrdererType: solo
                Addresses:
                    - orderer.example.com:7050
                BatchTimeout: 2s
                BatchSize:
                    MaxMessageCount: 10
                    AbsoluteMaxBytes: 99 MB
                    PreferredMaxBytes: 512 KB
                Organizations:
                Policies:
                    Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
                    Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
                    Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
                    BlockValidation: { Type: ImplicitMeta, Rule: "ANY Writers" }
            Channel: &ChannelDefaults
                Policies:
                    Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
                    Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
                    Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
                Capabilities:
                    <<: *ChannelCapabilities
            Profiles:
                TwoOrgsChannel:
                    <<: *ChannelDefaults
                    Consortium: SampleConsortium
                    Orderer:
                        <<: *OrdererDefaults
                        Organizations:
                            - *OrdererOrg
                        Capabilities:
                            <<: *OrdererCapabilities
                    Application:
                        <<: *ApplicationDefaults
                        Organizations:
                            - *Org1
                            - *Org2
                OneOrgChannel:
                    Orderer:
                        Organizations: [ *OrdererOrg ]
                    Application:
                        Organizations: [ *Org1 ]
            """;

    private final TestNetwork net = TestNetwork.get();

    @TempDir
    Path dir;

    @BeforeEach
    void writeCryptoMaterial() {
        net.ordererOrg.writeTo(dir.resolve("crypto/ordererOrganizations/example.com"));
        net.org1.writeTo(dir.resolve("crypto/peerOrganizations/org1.example.com"));
        net.org2.writeTo(dir.resolve("crypto/peerOrganizations/org2.example.com"));
    }

    private Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void loadsAConfigtxProfileWithAnchorsAndMerges() throws Exception {
        ChannelProfile profile = ChannelProfileYaml.load(write("configtx.yaml", CONFIGTX), "TwoOrgsChannel",
                "mychannel");

        assertThat(profile.channelId()).isEqualTo("mychannel");
        assertThat(profile.consortium()).isEqualTo("SampleConsortium");
        assertThat(profile.ordererAddresses()).containsExactly("orderer.example.com:7050");
        assertThat(profile.batchSettings()).isEqualTo(new BatchSettings(10, 99 * 1024 * 1024, 512 * 1024,
                Duration.ofSeconds(2)));
        assertThat(profile.channelCapabilities().names()).containsExactly("V1_4_3");
        assertThat(profile.ordererCapabilities().names()).containsExactly("V1_4_2");
        assertThat(profile.applicationCapabilities().names()).containsExactly("V1_4_2");
        assertThat(profile.ordererOrganizations()).extracting(OrganizationProfile::name).containsExactly("OrdererOrg");
        assertThat(profile.applicationOrganizations()).extracting(OrganizationProfile::name)
                .containsExactly("Org1MSP", "Org2MSP");
        OrganizationProfile org1 = profile.applicationOrganizations().get(0);
        assertThat(org1.mspConfig().rootCerts()).containsExactly(net.org1.ca().certificatePem());
        assertThat(org1.mspConfig().nodeOUs().enabled()).isTrue();
        // Org1 declares no policies: the defaults apply; Org2 declares Writers only
        assertThat(org1.policies()).isEqualTo(ChannelProfile.applicationOrgDefaults(org1.mspConfig()));
        assertThat(profile.applicationOrganizations().get(1).policies().get("Writers"))
                .isEqualTo(PolicyDefinition.signature("OR('Org2MSP.member')"));

        ChannelConfig config = ChannelConfig.fromGenesisBlock(profile.genesisBlock());
        assertThat(config.ordererOrganizations()).extracting(OrganizationConfig::name).containsExactly("OrdererOrg");
        var org2Peer = net.org2.signer(NodeRole.PEER);
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        List<SignedData> byOrg2Peer = List.of(SignedData.of(data, org2Peer.serialize(), org2Peer.sign(data)));
        assertThat(config.evaluate("/Channel/Application/Org2MSP/Writers", byOrg2Peer).isSatisfied()).isTrue();
        assertThat(config.evaluate("/Channel/Application/Org1MSP/Writers", byOrg2Peer).isSatisfied()).isFalse();
    }

    @Test
    void leftOutKeysKeepTheBuilderDefaults() throws Exception {
        ChannelProfile profile = ChannelProfileYaml.load(write("configtx.yaml", CONFIGTX), "OneOrgChannel", "one");
        assertThat(profile.batchSettings()).isEqualTo(BatchSettings.EMBEDDED_DEFAULT);
        assertThat(profile.consortium()).isEqualTo(ChannelProfile.DEFAULT_CONSORTIUM);
        assertThat(profile.channelCapabilities()).isEqualTo(ChannelCapabilities.DEFAULT);
        assertThat(profile.ordererPolicies()).containsKey("BlockValidation");
        assertThat(profile.ordererOrganizations().get(0).policies().get("Writers"))
                .isEqualTo(PolicyDefinition.signature("OR('OrdererMSP.member')"));
    }

    @Test
    void aSingleProfileDocumentNeedsNoName() throws Exception {
        Path file = write("channel.yaml", """
                Orderer:
                    BatchTimeout: 150ms
                    BatchSize: { MaxMessageCount: 20, AbsoluteMaxBytes: 1048576, PreferredMaxBytes: 64k }
                    Organizations:
                        - ID: OrdererMSP
                          MSPDir: crypto/ordererOrganizations/example.com/msp
                Application:
                    Organizations:
                        - ID: Org1MSP
                          MSPDir: crypto/peerOrganizations/org1.example.com/msp
                """);
        ChannelProfile profile = ChannelProfileYaml.load(file, "single");
        assertThat(profile.batchSettings()).isEqualTo(new BatchSettings(20, 1024 * 1024, 64 * 1024,
                Duration.ofMillis(150)));
        assertThat(profile.ordererOrganizations().get(0).name()).isEqualTo("OrdererMSP");
    }

    @Test
    void errorsNameTheFileAndTheKey() throws Exception {
        Path configtx = write("configtx.yaml", CONFIGTX);
        assertThatThrownBy(() -> ChannelProfileYaml.load(configtx, "missing"))
                .hasMessageContaining("configtx.yaml").hasMessageContaining("Profiles has 2 profiles");
        assertThatThrownBy(() -> ChannelProfileYaml.load(configtx, "Nope", "c"))
                .hasMessageContaining("no profile 'Nope' in Profiles [OneOrgChannel, TwoOrgsChannel]");

        assertThatThrownBy(() -> ChannelProfileYaml.load(write("a.yaml", """
                Application: { Organizations: [] }
                """), "c")).hasMessageEndingWith("Orderer is required");
        assertThatThrownBy(() -> ChannelProfileYaml.load(write("b.yaml", """
                Orderer:
                    BatchSize: { MaxMessageCount: lots }
                Application: {}
                """), "c")).hasMessageEndingWith(
                "Orderer.BatchSize.MaxMessageCount: expected a size like 512 KB or 10 MB, got 'lots'");
        assertThatThrownBy(() -> ChannelProfileYaml.load(write("c.yaml", """
                Orderer:
                    BatchTimeout: 2 seconds
                Application: {}
                """), "c")).hasMessageEndingWith(
                "Orderer.BatchTimeout: time: unknown unit \" seconds\" in duration \"2 seconds\"");
        assertThatThrownBy(() -> ChannelProfileYaml.load(write("d.yaml", """
                Orderer:
                    Organizations:
                        - ID: OrdererMSP
                          MSPDir: crypto/nowhere/msp
                Application: {}
                """), "c")).hasMessageContaining("Orderer.Organizations[0].MSPDir: could not load MSP folder");
        assertThatThrownBy(() -> ChannelProfileYaml.load(write("e.yaml", """
                Policies:
                    Readers: { Type: Magic, Rule: "x" }
                Orderer: {}
                Application: {}
                """), "c")).hasMessageEndingWith(
                "Policies.Readers: unknown policy type: Magic (expected Signature or ImplicitMeta)");
        assertThatThrownBy(() -> ChannelProfileYaml.load(write("f.yaml", """
                Orderer:
                    BatchSize: { AbsoluteMaxBytes: 5 GB }
                Application: {}
                """), "c")).hasMessageEndingWith("Orderer.BatchSize.AbsoluteMaxBytes: value '5 GB' overflows uint32");
        assertThatThrownBy(() -> ChannelProfileYaml.load(write("g.yaml", "Orderer: [unbalanced"), "c"))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void sizesFollowConfigtxgen() {
        assertThat(ChannelProfileYaml.size("10 MB", "x")).isEqualTo(10L << 20);
        assertThat(ChannelProfileYaml.size("512KB", "x")).isEqualTo(512L << 10);
        assertThat(ChannelProfileYaml.size("1g", "x")).isEqualTo(1L << 30);
        assertThat(ChannelProfileYaml.size(4096, "x")).isEqualTo(4096);
        assertThat(ChannelProfileYaml.size("4096", "x")).isEqualTo(4096);
    }
}
