package dev.fabricembedded.peer.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkLayoutTest {

    @TempDir
    Path dir;

    @Test
    void namesThePathsInCryptogensLayout() {
        NetworkLayout layout = new NetworkLayout(dir, 2);
        Path crypto = dir.resolve("crypto");
        assertThat(layout.peerMsp(1)).isEqualTo(crypto.resolve(
                "peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp"));
        assertThat(layout.userMsp(2, "Admin")).isEqualTo(crypto.resolve(
                "peerOrganizations/org2.example.com/users/Admin@org2.example.com/msp"));
        assertThat(layout.userMsp(1, "User1")).isEqualTo(crypto.resolve(
                "peerOrganizations/org1.example.com/users/User1@org1.example.com/msp"));
        assertThat(layout.ordererMsp()).isEqualTo(crypto.resolve(
                "ordererOrganizations/example.com/orderers/orderer.example.com/msp"));
        assertThat(layout.organizationMsp(2)).isEqualTo(crypto.resolve("peerOrganizations/org2.example.com/msp"));
        assertThat(layout.peerDirectory(2)).isEqualTo(dir.resolve("peers/peer0.org2.example.com"));
        assertThat(layout.genesisBlock()).isEqualTo(dir.resolve("channels/mychannel.block"));
        assertThat(layout.organizationNames()).containsExactly("org1", "org2");
        assertThat(NetworkLayout.mspId(2)).isEqualTo("Org2MSP");
    }

    @Test
    void findsAnOrganizationByAnyOfItsNames() {
        NetworkLayout layout = new NetworkLayout(dir, 2);
        assertThat(layout.organizationNumber("org2")).isEqualTo(2);
        assertThat(layout.organizationNumber("Org2MSP")).isEqualTo(2);
        assertThat(layout.organizationNumber("org1.example.com")).isEqualTo(1);
        assertThat(layout.organizationNumber("1")).isEqualTo(1);
        assertThatThrownBy(() -> layout.organizationNumber("org3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown organization 'org3': this network has org1, org2");
        assertThatThrownBy(() -> layout.organizationNumber("org0")).hasMessageContaining("unknown organization");
        assertThatThrownBy(() -> layout.organizationNumber("OrdererMSP")).hasMessageContaining("unknown organization");
    }

    @Test
    void refusesUnknownUsersAndOrganizationCounts() {
        NetworkLayout layout = new NetworkLayout(dir, 1);
        assertThatThrownBy(() -> layout.userMsp(1, "User2"))
                .hasMessage("unknown user 'User2': each organization has the users Admin and User1");
        assertThatThrownBy(() -> layout.peerMsp(2)).hasMessageContaining("this network has 1 organization");
        assertThatThrownBy(() -> new NetworkLayout(dir, 0)).hasMessageContaining("between 1 and 16, got 0");
        assertThatThrownBy(() -> new NetworkLayout(dir, 17)).hasMessageContaining("got 17");
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        new NetworkLayout(dir, 3).writeProperties();
        NetworkLayout read = NetworkLayout.read(dir);
        assertThat(read.organizations()).isEqualTo(3);
        assertThat(read.channelId()).isEqualTo("mychannel");
        assertThat(read.root()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void refusesADirectoryThatIsNotANetwork() throws Exception {
        assertThatThrownBy(() -> NetworkLayout.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a network data directory (no network.properties)")
                .hasMessageContaining("fabric-embedded network init --data");
        Files.writeString(dir.resolve(NetworkLayout.PROPERTIES_FILE), "format=2\norganizations=2\n");
        assertThatThrownBy(() -> NetworkLayout.read(dir)).hasMessageContaining("unsupported network format '2'");
        Files.writeString(dir.resolve(NetworkLayout.PROPERTIES_FILE), "format=1\norganizations=x\n");
        assertThatThrownBy(() -> NetworkLayout.read(dir)).hasMessageContaining("'organizations' is not a number");
    }
}
