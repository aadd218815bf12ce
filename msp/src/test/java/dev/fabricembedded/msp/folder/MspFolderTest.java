package dev.fabricembedded.msp.folder;

import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.ValidationResult;
import dev.fabricembedded.msp.crypto.EcKeyPair;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MspFolderTest {

    private static final Organization ORG = Organization.generate("Org1MSP", "org1.example.com");

    @TempDir
    Path temp;

    @Test
    void writesCryptogensLayoutAndReadsItBack() throws IOException {
        Path orgDir = temp.resolve("org1.example.com");
        ORG.writeTo(orgDir);

        Path peerMsp = ORG.mspFolder(orgDir, NodeRole.PEER);
        assertThat(peerMsp.resolve("cacerts/ca.org1.example.com-cert.pem")).isRegularFile();
        assertThat(peerMsp.resolve("signcerts/peer0.org1.example.com-cert.pem")).isRegularFile();
        String ski = HexFormat.of().formatHex(ORG.peer().keyPair().subjectKeyIdentifier());
        Path key = peerMsp.resolve("keystore/" + ski + "_sk");
        assertThat(key).isRegularFile();
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        assertThat(Files.readString(peerMsp.resolve("config.yaml")))
                .contains("NodeOUs:", "Enable: true", "ClientOUIdentifier:",
                        "Certificate: 'cacerts/ca.org1.example.com-cert.pem'", "OrganizationalUnitIdentifier: 'peer'");
        assertThat(orgDir.resolve("ca").resolve(HexFormat.of().formatHex(ORG.ca().keyPair().subjectKeyIdentifier())
                + "_sk")).isRegularFile();
        try (Stream<Path> entries = Files.list(orgDir.resolve("peers"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("peer0.org1.example.com");
        }

        LocalMsp local = MspFolder.read(peerMsp, "Org1MSP");
        SigningIdentity signer = local.signer();
        assertThat(signer.serialized()).isEqualTo(ORG.signer(NodeRole.PEER).serialized());
        assertThat(local.config().toProto()).isEqualTo(ORG.mspConfig().toProto());
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        Identity verifier = ORG.msp().deserializeIdentity(signer.serialized());
        assertThat(verifier.verify(message, signer.sign(message)).isValid()).isTrue();
        assertThat(signer.satisfiesPrincipal(dev.fabricembedded.msp.Principal.role("Org1MSP", MSPRole.MSPRoleType.PEER))
                .isValid()).isTrue();

        LocalMsp verifying = MspFolder.read(orgDir.resolve("msp"), "Org1MSP");
        assertThat(verifying.signingIdentity()).isEmpty();
        assertThat(verifying.msp().deserializeIdentity(signer.serialized()).validate().isValid()).isTrue();
        assertThatThrownBy(verifying::signer).hasMessageContaining("has no signing identity");
    }

    @Test
    void loadsMaterialMadeByCryptogen() throws IOException {
        Path msp = temp.resolve("peer0");
        Files.createDirectories(msp.resolve("cacerts"));
        Files.createDirectories(msp.resolve("signcerts"));
        Files.createDirectories(msp.resolve("admincerts"));
        Files.createDirectories(msp.resolve("keystore"));
        copy("ca.org1.example.com-cert.pem", msp.resolve("cacerts"));
        copy("peer0.org1.example.com-cert.pem", msp.resolve("signcerts"));
        // the MSP needs an admin when NodeOUs are off; the peer certificate stands in
        copy("peer0.org1.example.com-cert.pem", msp.resolve("admincerts"));
        copy("a1993072d65632fab2be261fa0d41218badd164eda336545366fc1ea9558161a_sk", msp.resolve("keystore"));

        LocalMsp local = MspFolder.read(msp, "Org1MSP");

        SigningIdentity peer = local.signer();
        assertThat(peer.certificate().commonName()).isEqualTo("peer0.org1.example.com");
        assertThat(peer.validate().isValid()).isTrue();
        byte[] message = "cryptogen interop".getBytes(StandardCharsets.UTF_8);
        assertThat(local.msp().deserializeIdentity(peer.serialized()).verify(message, peer.sign(message)).isValid())
                .isTrue();
    }

    @Test
    void readsAFabricStyleConfigYamlWithUnquotedValues() throws IOException {
        Path orgDir = temp.resolve("org");
        ORG.writeTo(orgDir);
        Path peerMsp = ORG.mspFolder(orgDir, NodeRole.PEER);
        String clientAndPeer = """
                NodeOUs:
                  Enable: true
                  ClientOUIdentifier:
                    Certificate: cacerts/ca.org1.example.com-cert.pem
                    OrganizationalUnitIdentifier: client
                  PeerOUIdentifier:
                    Certificate: cacerts/ca.org1.example.com-cert.pem
                    OrganizationalUnitIdentifier: peer
                """;
        Files.writeString(peerMsp.resolve("config.yaml"), clientAndPeer + """
                  AdminOUIdentifier:
                    Certificate: cacerts/ca.org1.example.com-cert.pem
                    OrganizationalUnitIdentifier: admin
                """);
        LocalMsp local = MspFolder.read(peerMsp, "Org1MSP");
        assertThat(local.config().nodeOUs().orderer()).isNull();
        assertThat(local.config().nodeOUs().peer().organizationalUnit()).isEqualTo("peer");
        assertThat(local.signer().validate().isValid()).isTrue();

        // without an admin OU and without admincerts, Fabric (and this MSP) refuse the configuration
        Files.writeString(peerMsp.resolve("config.yaml"), clientAndPeer);
        assertThatThrownBy(() -> MspFolder.read(peerMsp, "Org1MSP"))
                .hasMessageEndingWith("administrators must be declared when no admin ou classification is set");
    }

    @Test
    void badFoldersAreRejectedNamingTheProblem() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertThatThrownBy(() -> MspFolder.read(empty, "X"))
                .hasMessage("could not load MSP folder " + empty + ": could not load a valid ca certificate from "
                        + "directory " + empty.resolve("cacerts"));
        assertThatThrownBy(() -> MspFolder.read(temp.resolve("missing"), "X"))
                .hasMessageEndingWith(": not a directory");

        Path notPem = temp.resolve("notpem");
        Files.createDirectories(notPem.resolve("cacerts"));
        Files.writeString(notPem.resolve("cacerts/readme.txt"), "hello");
        assertThatThrownBy(() -> MspFolder.read(notPem, "X"))
                .hasMessageEndingWith("no pem content for file " + notPem.resolve("cacerts/readme.txt"));

        Path orgDir = temp.resolve("org");
        ORG.writeTo(orgDir);
        Path peerMsp = ORG.mspFolder(orgDir, NodeRole.PEER);
        try (Stream<Path> keys = Files.list(peerMsp.resolve("keystore"))) {
            for (Path k : keys.toList()) {
                Files.write(k, ORG.client().keyPair().toPkcs8Pem());
            }
        }
        assertThatThrownBy(() -> MspFolder.read(peerMsp, "Org1MSP"))
                .hasMessageEndingWith("could not find a private key in " + peerMsp.resolve("keystore")
                        + " matching the certificate in " + peerMsp.resolve("signcerts"));

        Files.writeString(peerMsp.resolve("config.yaml"), "NodeOUs: [unclosed");
        assertThatThrownBy(() -> MspFolder.read(peerMsp, "Org1MSP")).hasMessageContaining("could not parse");
        Files.writeString(peerMsp.resolve("config.yaml"), "NodeOUs:\n  Enable: true\n  PeerOUIdentifier:\n"
                + "    Certificate: cacerts/missing.pem\n    OrganizationalUnitIdentifier: peer\n");
        assertThatThrownBy(() -> MspFolder.read(peerMsp, "Org1MSP"))
                .hasMessageContaining("failed loading PeerOUIdentifier certificate at [");
    }

    @Test
    void anExpiredSigningIdentityIsRefusedAsFabricDoes() {
        Instant now = Instant.now();
        Enrollment expired = ORG.ca().issue("old", NodeRole.PEER, now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(1)));
        Path dir = temp.resolve("expired");
        MspFolder.write(dir, ORG.mspConfig(), expired);
        assertThatThrownBy(() -> MspFolder.read(dir, "Org1MSP")).hasMessageContaining("signing identity expired PT");
    }

    @Test
    void crlsAreWrittenAndHonoured() {
        Enrollment revoked = ORG.ca().issue("revoked", NodeRole.CLIENT);
        MspConfig config = ORG.mspConfigWithCrls(ORG.ca().revoke(revoked));
        Path dir = temp.resolve("withcrl");
        MspFolder.write(dir, config, null);
        assertThat(dir.resolve("crls/crl-0.pem")).isRegularFile();

        LocalMsp local = MspFolder.read(dir, "Org1MSP");
        ValidationResult result = local.msp().deserializeIdentity(ORG.signer(revoked).serialized()).validate();
        assertThat(result.code()).isEqualTo(ValidationResult.Code.REVOKED);
    }

    @Test
    void writingNeverMixesIntoAnExistingFolderAndLeavesNothingOnFailure() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("taken"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> MspFolder.write(dir, ORG.mspConfig(), ORG.peer()))
                .hasMessageContaining("already exists and is not an empty directory");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).containsExactly(dir.resolve("keep.txt"));
        }

        MspConfig foreignOuCert = ORG.mspConfig().toBuilder().organizationalUnitIdentifier(
                new dev.fabricembedded.msp.OuIdentifier("x", ORG.peer().certificatePem())).build();
        Path failed = temp.resolve("failed");
        assertThatThrownBy(() -> MspFolder.write(failed, foreignOuCert, null))
                .hasMessageContaining("is not one of its root or intermediate CA certificates");
        try (Stream<Path> entries = Files.list(temp)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("taken");
        }
    }

    @Test
    void anOrganisationIsWrittenAllAtOnceOrNotAtAll() throws IOException {
        Path orgDir = temp.resolve("org");
        ORG.writeTo(orgDir);
        assertThatThrownBy(() -> ORG.writeTo(orgDir)).hasMessageContaining("already exists and is not an empty "
                + "directory");
        try (Stream<Path> entries = Files.list(temp)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("org");
        }
    }

    @Test
    void keysAreReadFromSec1PemToo() throws IOException {
        Path orgDir = temp.resolve("org");
        ORG.writeTo(orgDir);
        Path keystore = ORG.mspFolder(orgDir, NodeRole.CLIENT).resolve("keystore");
        EcKeyPair keys = ORG.client().keyPair();
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.crypto.util.PrivateKeyInfoFactory
                .createPrivateKeyInfo(keys.privateKey());
        byte[] sec1 = info.parsePrivateKey().toASN1Primitive().getEncoded();
        try (Stream<Path> files = Files.list(keystore)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.write(keystore.resolve("priv_sk"), dev.fabricembedded.msp.crypto.Pem.encode("EC PRIVATE KEY", sec1));
        assertThat(MspFolder.read(ORG.mspFolder(orgDir, NodeRole.CLIENT), "Org1MSP").signer().serialized())
                .isEqualTo(ORG.signer(NodeRole.CLIENT).serialized());
    }

    private static void copy(String resource, Path dir) throws IOException {
        try (InputStream in = MspFolderTest.class.getResourceAsStream("/cryptogen-org1/" + resource)) {
            Files.write(dir.resolve(resource), in.readAllBytes());
        }
    }
}
