package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.crypto.EcCurves;
import dev.fabricembedded.msp.crypto.EcdsaSignature;
import dev.fabricembedded.msp.crypto.Pem;
import dev.fabricembedded.msp.devca.DevCa;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.x509.X509Cert;
import org.hyperledger.fabric.protos.common.CombinedPrincipal;
import org.hyperledger.fabric.protos.common.MSPIdentityAnonymity;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.fabricembedded.msp.Fixtures.serialized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class X509MspTest {

    private static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    private static final Msp MSP = ORG1.msp();

    private static Identity identity(Enrollment enrollment) {
        return MSP.deserializeIdentity(serialized("Org1MSP", enrollment));
    }

    private static Principal role(String mspId, MSPRole.MSPRoleType role) {
        return Principal.role(mspId, role);
    }

    @Test
    void deserializesAnIdentityWithFabricsIdentifier() {
        ByteString bytes = serialized("Org1MSP", ORG1.peer());
        Identity peer = MSP.deserializeIdentity(bytes);

        assertThat(peer.mspId()).isEqualTo("Org1MSP");
        assertThat(peer.serialized()).isEqualTo(bytes);
        assertThat(peer.id()).isEqualTo(dev.fabricembedded.msp.crypto.Sha256.hexDigest(peer.certificate().raw()));
        assertThat(peer.organizationalUnits()).containsExactly("peer");
        assertThat(peer.validate().isValid()).isTrue();
    }

    @Test
    void rolesFollowNodeOus() {
        Identity peer = identity(ORG1.peer());
        Identity client = identity(ORG1.client());
        Identity admin = identity(ORG1.admin());
        Identity orderer = identity(ORG1.orderer());

        for (Identity member : List.of(peer, client, admin, orderer)) {
            assertThat(member.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.MEMBER)).isValid()).isTrue();
        }
        assertThat(peer.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.PEER)).isValid()).isTrue();
        assertThat(client.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.CLIENT)).isValid()).isTrue();
        assertThat(admin.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.ADMIN)).isValid()).isTrue();
        assertThat(orderer.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.ORDERER)).isValid()).isTrue();

        ValidationResult notPeer = client.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.PEER));
        assertThat(notPeer.code()).isEqualTo(ValidationResult.Code.ROLE_NOT_HELD);
        assertThat(notPeer.message()).isEqualTo("The identity is not a [PEER] under this MSP [Org1MSP]: The identity "
                + "does not contain OU [PEER], MSP: [Org1MSP]");
        ValidationResult notAdmin = peer.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.ADMIN));
        assertThat(notAdmin.code()).isEqualTo(ValidationResult.Code.NOT_ADMIN);
        assertThat(notAdmin.message()).isEqualTo("The identity is not an admin under this MSP [Org1MSP]: The identity "
                + "does not contain OU [ADMIN], MSP: [Org1MSP]");
        assertThat(client.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.ORDERER)).message())
                .isEqualTo("The identity is not a [ORDERER] under this MSP [Org1MSP]: The identity does not contain "
                        + "OU [ORDERER], MSP: [Org1MSP]");
    }

    @Test
    void aPrincipalOfAnotherMspIsNotSatisfied() {
        ValidationResult result = identity(ORG1.peer()).satisfiesPrincipal(role("Org2MSP", MSPRole.MSPRoleType.MEMBER));
        assertThat(result.code()).isEqualTo(ValidationResult.Code.DIFFERENT_MSP);
        assertThat(result.message())
                .isEqualTo("the identity is a member of a different MSP (expected Org2MSP, got Org1MSP)");
    }

    @Test
    void anExpiredCertificateStillValidatesButIsReportedExpired() {
        Instant now = Instant.now();
        Enrollment expired = ORG1.ca().issue("old@org1.example.com", NodeRole.CLIENT,
                now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
        Identity identity = identity(expired);

        assertThat(identity.validate().isValid()).isTrue();
        assertThat(identity.isExpired(now)).isTrue();
        assertThat(identity.isExpired(now.minus(Duration.ofDays(1)).minusSeconds(60))).isFalse();
        assertThat(identity(ORG1.client()).isExpired(now)).isFalse();
    }

    @Test
    void aRevokedCertificateDeserializesButFailsValidation() {
        Enrollment revoked = ORG1.ca().issue("revoked@org1.example.com", NodeRole.CLIENT);
        Msp withCrl = Msp.create(ORG1.mspConfigWithCrls(ORG1.ca().revoke(revoked)));

        Identity identity = withCrl.deserializeIdentity(serialized("Org1MSP", revoked));
        ValidationResult result = identity.validate();

        assertThat(result.code()).isEqualTo(ValidationResult.Code.REVOKED);
        assertThat(result.message())
                .isEqualTo("could not validate identity against certification chain: The certificate has been revoked");
        assertThat(withCrl.deserializeIdentity(serialized("Org1MSP", ORG1.client())).validate().isValid()).isTrue();
        assertThat(identity.satisfiesPrincipal(role("Org1MSP", MSPRole.MSPRoleType.CLIENT)).message())
                .isEqualTo("The identity is not valid under this MSP [Org1MSP]: could not validate identity against "
                        + "certification chain: The certificate has been revoked");
    }

    @Test
    void aCrlSignedByAnotherCaRevokesNothing() {
        Enrollment client = ORG1.ca().issue("c@org1.example.com", NodeRole.CLIENT);
        // a CRL claiming to be from Org1's CA (same key id) but signed by another key
        DevCa other = DevCa.createRoot("org1.example.com");
        X509Cert cert = X509Cert.fromPem(client.certificatePem().toByteArray());
        ByteString forgedCrl = DevCa.of(other.certificate(), other.keyPair())
                .revocationList(List.of(cert.serialNumber()));
        Msp msp = Msp.create(ORG1.mspConfigWithCrls(forgedCrl));
        assertThat(msp.deserializeIdentity(serialized("Org1MSP", client)).validate().isValid()).isTrue();
    }

    @Test
    void aCertificateFromAnUnknownCaDoesNotDeserialize() {
        Organization stranger = Organization.generate("Org1MSP", "evil.example.com");
        assertThatThrownBy(() -> identity(stranger.peer()))
                .isInstanceOfSatisfying(InvalidIdentityException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidIdentityException.Reason.UNTRUSTED_CERTIFICATE))
                .hasMessage("the supplied identity is not valid: x509: certificate signed by unknown authority");
    }

    @Test
    void garbageCertificateBytesAreRejected() {
        String garbagePem = new String(Pem.encode("CERTIFICATE", "not a certificate".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> MSP.deserializeIdentity(serialized("Org1MSP", garbagePem)))
                .isInstanceOfSatisfying(InvalidIdentityException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidIdentityException.Reason.BAD_CERTIFICATE))
                .hasMessageStartingWith("parseCertificate failed: asn1:");
        assertThatThrownBy(() -> MSP.deserializeIdentity(serialized("Org1MSP", "no pem here")))
                .isInstanceOfSatisfying(InvalidIdentityException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidIdentityException.Reason.BAD_PEM))
                .hasMessage("could not decode the PEM structure");
        assertThatThrownBy(() -> MSP.deserializeIdentity(ByteString.copyFromUtf8("\u00ff\u00ff not a proto")))
                .isInstanceOfSatisfying(InvalidIdentityException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidIdentityException.Reason.MALFORMED_SERIALIZED_IDENTITY))
                .hasMessageStartingWith("could not deserialize a SerializedIdentity: ");
    }

    @Test
    void aPemBlockOfTheWrongTypeIsRejectedByBothChecks() {
        ByteString keyPem = ByteString.copyFrom(ORG1.client().keyPair().toPkcs8Pem());
        ByteString bytes = serialized("Org1MSP", keyPem);

        assertThatThrownBy(() -> MSP.deserializeIdentity(bytes))
                .isInstanceOf(InvalidIdentityException.class)
                .hasMessageStartingWith("parseCertificate failed: PEM block of type 'PRIVATE KEY' does not hold a "
                        + "certificate: ");
        assertThat(MSP.isWellFormed(bytes).message())
                .isEqualTo("pem type is PRIVATE KEY, should be 'CERTIFICATE' or missing");

        // a certificate in a block labelled otherwise deserializes (Fabric ignores the label) but is not well formed
        byte[] der = Pem.decode(ORG1.client().certificatePem().toByteArray()).content();
        ByteString relabelled = serialized("Org1MSP", ByteString.copyFrom(Pem.encode("PUBLIC KEY", der)));
        assertThat(MSP.deserializeIdentity(relabelled).validate().isValid()).isTrue();
        assertThat(MSP.isWellFormed(relabelled).code()).isEqualTo(ValidationResult.Code.MALFORMED_IDENTITY);
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] der = Pem.decode(ORG1.client().certificatePem().toByteArray()).content();
        byte[] withTrailingDer = Arrays.copyOf(der, der.length + 3);
        ByteString insideDer = serialized("Org1MSP", ByteString.copyFrom(Pem.encode("CERTIFICATE", withTrailingDer)));
        assertThatThrownBy(() -> MSP.deserializeIdentity(insideDer))
                .isInstanceOf(InvalidIdentityException.class)
                .hasMessage("parseCertificate failed: x509: trailing data");

        // bytes after the PEM block: Fabric's deserializer ignores them, its IsWellFormed check does not
        ByteString afterPem = serialized("Org1MSP", ORG1.client().certificatePem().concat(ByteString.copyFromUtf8("xx")));
        assertThat(MSP.deserializeIdentity(afterPem).validate().isValid()).isTrue();
        assertThat(MSP.isWellFormed(afterPem).message()).isEqualTo("identity for MSP Org1MSP has trailing bytes");
        assertThat(MSP.isWellFormed(serialized("Org1MSP", ORG1.client())).isValid()).isTrue();
    }

    @Test
    void anIdentityForAnotherMspIdIsRefusedByThisMsp() {
        assertThatThrownBy(() -> MSP.deserializeIdentity(serialized("Org2MSP", ORG1.peer())))
                .isInstanceOfSatisfying(InvalidIdentityException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidIdentityException.Reason.MSP_MISMATCH))
                .hasMessage("expected MSP ID Org1MSP, received Org2MSP");
    }

    @Test
    void aCaCertificateCannotBeAnIdentity() {
        Identity ca = MSP.deserializeIdentity(serialized("Org1MSP", ORG1.ca().certificatePem()));
        ValidationResult result = ca.validate();
        assertThat(result.code()).isEqualTo(ValidationResult.Code.INVALID_CHAIN);
        assertThat(result.message()).isEqualTo("could not obtain certification chain: An X509 certificate with Basic "
                + "Constraint: Certificate Authority equals true cannot be used as an identity");
    }

    @Test
    void anIdentityWithTwoNodeOusIsInvalid() {
        Instant now = Instant.now();
        Enrollment both = ORG1.ca().issue("both", List.of("client", "peer"), now.minusSeconds(60),
                now.plus(Duration.ofDays(1)));
        ValidationResult result = identity(both).validate();
        assertThat(result.code()).isEqualTo(ValidationResult.Code.INVALID_OUS);
        assertThat(result.message()).startsWith("could not validate identity's OUs: the identity must be a client, a "
                + "peer, an orderer or an admin identity to be valid, not a combination of them. OUs: [client(");
        assertThat(result.message()).endsWith("], MSP: [Org1MSP]");

        Enrollment none = ORG1.ca().issue("none", List.of(), now.minusSeconds(60), now.plus(Duration.ofDays(1)));
        assertThat(identity(none).validate().code()).isEqualTo(ValidationResult.Code.INVALID_OUS);
    }

    @Test
    void highSSignedCertificatesAreSanitisedToOneIdentity() {
        X509Cert cert = X509Cert.fromPem(ORG1.client().certificatePem().toByteArray());
        EcdsaSignature low = EcdsaSignature.fromDer(cert.signature());
        X509Cert highS = cert.withSignature(new EcdsaSignature(low.r(), EcCurves.P256.getN().subtract(low.s())).toDer());

        Identity fromLow = identity(ORG1.client());
        Identity fromHigh = MSP.deserializeIdentity(serialized("Org1MSP", ByteString.copyFrom(highS.toPem())));

        assertThat(fromHigh.serialized()).isNotEqualTo(fromLow.serialized());
        assertThat(fromHigh.id()).isEqualTo(fromLow.id());
        assertThat(fromHigh.certificate().raw()).isEqualTo(cert.raw());
        assertThat(MSP.isWellFormed(fromHigh.serialized()).isValid()).isTrue();
    }

    @Test
    void intermediateCasMustBeLeavesOfTheCaTree() {
        DevCa root = DevCa.createRoot("org9.example.com");
        DevCa intermediate = root.intermediate("ica.org9.example.com");
        Msp msp = Msp.create(MspConfig.builder("Org9MSP").rootCert(root.certificatePem())
                .intermediateCert(intermediate.certificatePem())
                .nodeOUs(NodeOUs.standard(ByteString.EMPTY)).build());

        Identity viaIntermediate = msp.deserializeIdentity(serialized("Org9MSP",
                intermediate.issue("user", NodeRole.CLIENT)));
        assertThat(viaIntermediate.validate().isValid()).isTrue();

        Identity viaRoot = msp.deserializeIdentity(serialized("Org9MSP", root.issue("user", NodeRole.CLIENT)));
        ValidationResult result = viaRoot.validate();
        assertThat(result.code()).isEqualTo(ValidationResult.Code.INVALID_CHAIN);
        assertThat(result.message()).startsWith("could not obtain certification chain: invalid validation chain. "
                + "Parent certificate should be a leaf of the certification tree [");
    }

    @Test
    void withoutNodeOusAdminsAreTheAdmincertsAndNodeRolesCannotBeTold() {
        DevCa ca = DevCa.createRoot("org5.example.com");
        Enrollment admin = ca.issue("Admin@org5.example.com", (NodeRole) null);
        Enrollment user = ca.issue("User1@org5.example.com", (NodeRole) null);
        Msp msp = Msp.create(MspConfig.builder("Org5MSP").rootCert(ca.certificatePem())
                .adminCert(admin.certificatePem()).build());

        Identity adminIdentity = msp.deserializeIdentity(serialized("Org5MSP", admin));
        Identity userIdentity = msp.deserializeIdentity(serialized("Org5MSP", user));

        assertThat(adminIdentity.satisfiesPrincipal(role("Org5MSP", MSPRole.MSPRoleType.ADMIN)).isValid()).isTrue();
        ValidationResult notAdmin = userIdentity.satisfiesPrincipal(role("Org5MSP", MSPRole.MSPRoleType.ADMIN));
        assertThat(notAdmin.message()).isEqualTo("This identity is not an admin");
        assertThat(userIdentity.satisfiesPrincipal(role("Org5MSP", MSPRole.MSPRoleType.MEMBER)).isValid()).isTrue();

        ValidationResult peer = userIdentity.satisfiesPrincipal(role("Org5MSP", MSPRole.MSPRoleType.PEER));
        assertThat(peer.code()).isEqualTo(ValidationResult.Code.NODE_OUS_DISABLED);
        assertThat(peer.message()).isEqualTo("The identity is not a [PEER] under this MSP [Org5MSP]: NodeOUs not "
                + "activated. Cannot tell apart identities.");
        assertThat(userIdentity.satisfiesPrincipal(role("Org5MSP", MSPRole.MSPRoleType.ORDERER)).message())
                .isEqualTo("invalid MSP role type 4");
    }

    @Test
    void identityOrganizationUnitAnonymityAndCombinedPrincipals() {
        Identity peer = identity(ORG1.peer());
        Identity client = identity(ORG1.client());

        Principal exactlyPeer = new Principal.SpecificIdentity(serialized("Org1MSP", ORG1.peer()));
        assertThat(peer.satisfiesPrincipal(exactlyPeer).isValid()).isTrue();
        assertThat(client.satisfiesPrincipal(exactlyPeer).message()).isEqualTo("The identities do not match");

        MessageDigest digest = dev.fabricembedded.msp.crypto.Sha256.newDigest();
        digest.update(ORG1.ca().certificate().raw());
        ByteString certifiers = ByteString.copyFrom(digest.digest());
        MSPPrincipal peerOu = MSPPrincipal.newBuilder()
                .setPrincipalClassification(MSPPrincipal.Classification.ORGANIZATION_UNIT)
                .setPrincipal(OrganizationUnit.newBuilder().setMspIdentifier("Org1MSP")
                        .setOrganizationalUnitIdentifier("peer").setCertifiersIdentifier(certifiers).build()
                        .toByteString()).build();
        assertThat(peer.satisfiesPrincipal(peerOu).isValid()).isTrue();
        assertThat(client.satisfiesPrincipal(peerOu).message()).isEqualTo("The identities do not match");

        MSPPrincipal nominal = anonymity(MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL);
        MSPPrincipal anonymous = anonymity(MSPIdentityAnonymity.MSPIdentityAnonymityType.ANONYMOUS);
        assertThat(peer.satisfiesPrincipal(nominal).isValid()).isTrue();
        assertThat(peer.satisfiesPrincipal(anonymous).message())
                .isEqualTo("Principal is an anonymous identity, but X509 MSP does not support anonymous identities");

        MSPPrincipal memberAndPeer = combined(role("Org1MSP", MSPRole.MSPRoleType.MEMBER).toProto(),
                role("Org1MSP", MSPRole.MSPRoleType.PEER).toProto());
        assertThat(peer.satisfiesPrincipal(memberAndPeer).isValid()).isTrue();
        assertThat(client.satisfiesPrincipal(memberAndPeer).code()).isEqualTo(ValidationResult.Code.ROLE_NOT_HELD);
        assertThat(peer.satisfiesPrincipal(combined()).message()).isEqualTo("No principals in CombinedPrincipal");

        MSPPrincipal broken = MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(ByteString.copyFrom(new byte[] {(byte) 0xff})).build();
        assertThat(peer.satisfiesPrincipal(broken).message())
                .startsWith("could not unmarshal MSPRole from principal: ");
    }

    private static MSPPrincipal anonymity(MSPIdentityAnonymity.MSPIdentityAnonymityType type) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ANONYMITY)
                .setPrincipal(MSPIdentityAnonymity.newBuilder().setAnonymityType(type).build().toByteString()).build();
    }

    private static MSPPrincipal combined(MSPPrincipal... parts) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.COMBINED)
                .setPrincipal(CombinedPrincipal.newBuilder().addAllPrincipals(List.of(parts)).build().toByteString())
                .build();
    }

    @Test
    void setupRejectsBadConfigurationsWithFabricsMessages() {
        assertThatThrownBy(() -> Msp.create(MspConfig.builder("X").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("could not set up MSP X: expected at least one CA certificate");

        ByteString leaf = ORG1.client().certificatePem();
        assertThatThrownBy(() -> Msp.create(MspConfig.builder("X").rootCert(leaf).build()))
                .hasMessageStartingWith("could not set up MSP X: CA Certificate did not have the CA attribute, (SN: ");

        DevCa ca = DevCa.createRoot("org6.example.com");
        assertThatThrownBy(() -> Msp.create(MspConfig.builder("X").rootCert(ca.certificatePem()).build()))
                .hasMessage("could not set up MSP X: administrators must be declared when no admin ou classification "
                        + "is set");
        assertThatThrownBy(() -> Msp.create(MspConfig.builder("X").rootCert(ByteString.copyFromUtf8("junk")).build()))
                .hasMessage("could not set up MSP X: getCertFromPem error: could not decode pem bytes");
        assertThatThrownBy(() -> Msp.create(ORG1.mspConfig().toBuilder()
                .revocationList(ByteString.copyFromUtf8("junk")).build()))
                .hasMessageStartingWith("could not set up MSP Org1MSP: could not parse RevocationList: ");
        assertThatThrownBy(() -> Msp.create(ORG1.mspConfig().toBuilder()
                .nodeOUs(NodeOUs.standard(DevCa.createRoot("x.example.com").certificatePem())).build()))
                .hasMessageContaining("the supplied identity is not valid");
    }

    @Test
    void theConfigurationRoundTripsThroughItsProtobuf() {
        MspConfig config = ORG1.mspConfigWithCrls(ORG1.ca().revocationList(List.of()));
        MspConfig back = MspConfig.fromMspConfigProto(config.toMspConfigProto());

        assertThat(back.toProto()).isEqualTo(config.toProto());
        assertThat(back.nodeOUs()).isEqualTo(config.nodeOUs());
        Msp msp = Msp.create(back);
        assertThat(msp.deserializeIdentity(serialized("Org1MSP", ORG1.peer())).validate().isValid()).isTrue();
    }

    @Test
    void signingIdentitiesSignWhatTheirPeersVerify() {
        SigningIdentity signer = ORG1.signer(NodeRole.PEER);
        byte[] message = "proposal response payload".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(message);

        Identity verifier = MSP.deserializeIdentity(signer.serialized());
        assertThat(verifier.verify(message, signature).isValid()).isTrue();
        assertThat(verifier.verify("other".getBytes(StandardCharsets.UTF_8), signature).message())
                .isEqualTo("The signature is invalid");
        assertThat(signer.serialize()).isEqualTo(serialized("Org1MSP", ORG1.peer()).toByteArray());

        Enrollment mismatched = new Enrollment(ORG1.peer().certificatePem(), ORG1.client().keyPair());
        assertThatThrownBy(() -> MSP.signingIdentity(mismatched))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the private key does not match the public key of certificate");
    }
}
