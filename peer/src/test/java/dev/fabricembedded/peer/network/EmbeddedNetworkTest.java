package dev.fabricembedded.peer.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.msp.Principal;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.folder.LocalMsp;
import dev.fabricembedded.msp.folder.MspFolder;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.peer.ExampleJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedNetworkTest {

    @TempDir
    Path tmp;

    @Test
    void createWritesCryptogensLayout() {
        Path dir = tmp.resolve("net");
        NetworkLayout layout = EmbeddedNetwork.create(dir, 2);

        Path crypto = dir.resolve("crypto");
        for (int n = 1; n <= 2; n++) {
            Path org = crypto.resolve("peerOrganizations/org" + n + ".example.com");
            assertThat(org.resolve("ca")).isDirectory();
            assertThat(org.resolve("msp/cacerts")).isDirectory();
            assertThat(org.resolve("msp/config.yaml")).isRegularFile();
            for (String identity : new String[] {"peers/peer0.org" + n + ".example.com",
                    "users/Admin@org" + n + ".example.com", "users/User1@org" + n + ".example.com"}) {
                Path msp = org.resolve(identity).resolve("msp");
                assertThat(msp.resolve("signcerts")).isDirectory();
                assertThat(msp.resolve("keystore")).isDirectory();
                assertThat(msp.resolve("cacerts")).isDirectory();
            }
            assertThat(org.resolve("orderers")).doesNotExist();
        }
        Path ordererOrg = crypto.resolve("ordererOrganizations/example.com");
        assertThat(ordererOrg.resolve("orderers/orderer.example.com/msp/signcerts")).isDirectory();
        assertThat(ordererOrg.resolve("users/Admin@example.com/msp/keystore")).isDirectory();
        assertThat(ordererOrg.resolve("users/User1@example.com")).doesNotExist();
        assertThat(ordererOrg.resolve("peers")).doesNotExist();
        assertThat(crypto.resolve("peerOrganizations/org3.example.com")).doesNotExist();
        assertThat(layout.genesisBlock()).isRegularFile();
        assertThat(dir.resolve("network.properties")).content().contains("format=1", "organizations=2",
                "channel=mychannel");
        assertThat(NetworkLayout.read(dir).organizations()).isEqualTo(2);
    }

    @Test
    void mspFoldersLoadWithTheirRoles() throws Exception {
        NetworkLayout layout = EmbeddedNetwork.create(tmp.resolve("net"), 2);

        LocalMsp org2 = MspFolder.read(layout.organizationMsp(2), "Org2MSP");
        assertThat(org2.signingIdentity()).isEmpty();
        SigningIdentity admin = MspFolder.read(layout.userMsp(2, "Admin"), "Org2MSP").signer();
        SigningIdentity user = MspFolder.read(layout.userMsp(2, "User1"), "Org2MSP").signer();
        SigningIdentity peer = MspFolder.read(layout.peerMsp(2), "Org2MSP").signer();
        SigningIdentity orderer = MspFolder.read(layout.ordererMsp(), "OrdererMSP").signer();
        assertThat(admin.certificate().commonName()).isEqualTo("Admin@org2.example.com");
        assertThat(user.certificate().commonName()).isEqualTo("User1@org2.example.com");
        assertThat(peer.certificate().commonName()).isEqualTo("peer0.org2.example.com");
        assertThat(orderer.certificate().commonName()).isEqualTo("orderer.example.com");

        // the organisation's verifying MSP recognises the roles (NodeOUs), and not another org's identities
        var msp = org2.msp();
        assertThat(msp.validate(admin).isValid()).isTrue();
        assertThat(msp.satisfiesPrincipal(admin, Principal.role("Org2MSP", MSPRole.MSPRoleType.ADMIN)).isValid())
                .isTrue();
        assertThat(msp.satisfiesPrincipal(user, Principal.role("Org2MSP", MSPRole.MSPRoleType.ADMIN)).isValid())
                .isFalse();
        assertThat(msp.satisfiesPrincipal(peer, Principal.role("Org2MSP", MSPRole.MSPRoleType.PEER)).isValid())
                .isTrue();
        SigningIdentity org1Admin = MspFolder.read(layout.userMsp(1, "Admin"), "Org1MSP").signer();
        assertThat(msp.validate(org1Admin).isValid()).isFalse();

        ChannelConfig channel = ChannelConfig.fromGenesisBlock(Block.parseFrom(Files.readAllBytes(
                layout.genesisBlock())));
        assertThat(channel.channelId()).isEqualTo("mychannel");
        assertThat(channel.applicationMspIds()).containsExactly("Org1MSP", "Org2MSP");
        assertThat(channel.ordererMspIds()).containsExactly("OrdererMSP");
    }

    @Test
    void createRefusesANonEmptyDirectoryAndLeavesItAsItWas() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("net"));
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> EmbeddedNetwork.create(dir, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot initialize a network in " + dir.toAbsolutePath())
                .hasMessageContaining("not an empty directory");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings).containsExactly(dir);
        }
        assertThatThrownBy(() -> EmbeddedNetwork.create(tmp.resolve("other"), 0))
                .hasMessageContaining("between 1 and 16");
        assertThat(tmp.resolve("other")).doesNotExist();
    }

    @Test
    void createAcceptsAnEmptyDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        EmbeddedNetwork.create(dir, 1);
        assertThat(NetworkLayout.read(dir).organizations()).isEqualTo(1);
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings).containsExactly(dir);
        }
    }

    @Test
    void initOpensTheChannelOnEveryPeerAndASecondOpenIsRefused() {
        Path dir = tmp.resolve("net");
        try (EmbeddedNetwork network = EmbeddedNetwork.init(dir, 2)) {
            assertThat(network.peers()).hasSize(2);
            assertThat(network.orderer().height("mychannel")).isEqualTo(1);
            assertThat(network.channel("org1").id()).isEqualTo("mychannel");
            assertThat(network.peer("Org2MSP").mspId()).isEqualTo("Org2MSP");
            assertThat(network.identity("org2", "User1").mspId()).isEqualTo("Org2MSP");

            assertThatThrownBy(() -> EmbeddedNetwork.open(dir))
                    .isInstanceOf(NetworkInUseException.class)
                    .hasMessageStartingWith("data directory " + dir.toAbsolutePath() + " is in use by process "
                            + ProcessHandle.current().pid())
                    .satisfies(e -> assertThat(((NetworkInUseException) e).pid())
                            .hasValue(ProcessHandle.current().pid()));
            // the refused open changed nothing: the network still works
            assertThat(network.orderer().height("mychannel")).isEqualTo(1);
        }
        // reopening is idempotent: the same channel, nothing created twice
        try (EmbeddedNetwork network = EmbeddedNetwork.open(dir)) {
            assertThat(network.orderer().height("mychannel")).isEqualTo(1);
            assertThat(network.channel("org2").height()).isEqualTo(1);
            assertThat(network.peer("org1").channels()).containsExactly("mychannel");
        }
    }

    @Test
    void aFailedOpenClosesWhatItOpenedAndReleasesTheDirectory() throws Exception {
        Path dir = tmp.resolve("net");
        try (EmbeddedNetwork network = EmbeddedNetwork.init(dir, 2)) {
            assertThat(network.peers()).hasSize(2);
        }
        // org2's peer cannot read its key: the orderer and org1's peer are open by then
        Path keystore = new NetworkLayout(dir, 2).peerMsp(2).resolve("keystore");
        Path key;
        try (Stream<Path> keys = Files.list(keystore)) {
            key = keys.findFirst().orElseThrow();
        }
        Path aside = tmp.resolve("key");
        Files.move(key, aside);

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> EmbeddedNetwork.open(dir))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("could not load MSP folder " + keystore.getParent())
                    .hasMessageContaining("could not find a private key");
        }
        Files.move(aside, key);
        try (EmbeddedNetwork network = EmbeddedNetwork.open(dir)) {
            assertThat(network.channel("org2").height()).isEqualTo(1);
        }
    }

    @Test
    void theBuilderAppliesPeerAndOrdererSettings() {
        Path dir = tmp.resolve("net");
        EmbeddedNetwork.create(dir, 2);
        List<String> configured = new ArrayList<>();
        try (EmbeddedNetwork network = EmbeddedNetwork.builder(dir)
                .ordererSettings(b -> configured.add("orderer"))
                .peerSettings((org, b) -> {
                    configured.add(org);
                    b.name("peer-of-" + org);
                })
                .open()) {
            assertThat(configured).containsExactly("orderer", "org1", "org2");
            assertThat(network.peers()).extracting(p -> p.name()).containsExactly("peer-of-org1", "peer-of-org2");
            // the network's own settings win: identities and MSPs come from the crypto material
            assertThat(network.peer("org2").mspId()).isEqualTo("Org2MSP");
        }
    }

    @Test
    void syncBringsEveryPeerToTheOrderersHeightBetweenSubmits() {
        try (EmbeddedNetwork network = EmbeddedNetwork.init(tmp.resolve("net"), 2)) {
            for (String org : network.organizations()) {
                try (Gateway admin = network.gateway(org, "Admin")) {
                    admin.install(ExampleJars.jar("example02"), "cc", "1");
                }
            }
            try (Gateway admin = network.gateway("org1", "Admin")) {
                admin.network("mychannel").instantiate("cc", "1", List.of("init", "a", "100", "b", "200"),
                        "AND('Org1MSP.member','Org2MSP.member')");
            }
            network.sync();
            // each submit waits for its commit on the submitter's own peer only; sync waits for the other one, so
            // the next endorsement reads the same state on both peers
            for (int i = 0; i < 4; i++) {
                String org = network.organizations().get(i % 2);
                try (Gateway user = network.gateway(org, "User1")) {
                    assertThat(user.network("mychannel").contract("cc").submitTransaction("move", "a", "b", "1")
                            .code()).isEqualTo(TxValidationCode.VALID);
                }
                network.sync();
                long height = network.orderer().height("mychannel");
                assertThat(network.peers()).allSatisfy(p -> assertThat(p.channel("mychannel").orElseThrow()
                        .height()).isEqualTo(height));
            }
        }
    }

    @Test
    void openRefusesADirectoryThatIsNotANetwork() {
        assertThatThrownBy(() -> EmbeddedNetwork.open(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a network data directory");
        assertThat(tmp.resolve("LOCK")).doesNotExist();
    }
}
