package dev.fabricembedded.msp.devca;

import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.x509.X509Cert;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrganizationTest {

    private static final Organization ORG = Organization.generate("Org1MSP", "org1.example.com");

    @Test
    void generatesTheFourNodeRolesUnderOneCa() {
        for (NodeRole role : NodeRole.values()) {
            X509Cert cert = X509Cert.fromPem(ORG.enrollment(role).certificatePem().toByteArray());
            assertThat(cert.organizationalUnits()).containsExactly(role.organizationalUnit());
            assertThat(cert.isSignedBy(ORG.ca().certificate())).isTrue();
            assertThat(cert.isCa()).isFalse();

            SigningIdentity signer = ORG.signer(role);
            assertThat(signer.validate().isValid()).isTrue();
            assertThat(signer.satisfiesPrincipal(dev.fabricembedded.msp.Principal.role("Org1MSP",
                    MSPRole.MSPRoleType.valueOf(role.name()))).isValid()).isTrue();
        }
        assertThat(X509Cert.fromPem(ORG.peer().certificatePem().toByteArray()).commonName())
                .isEqualTo("peer0.org1.example.com");
        assertThat(ORG.mspConfig().admins()).isEmpty();
        assertThat(ORG.mspConfig().nodeOUs().enabled()).isTrue();
    }

    @Test
    void issuesIdentitiesWithAnyValidityWindow() {
        Instant now = Instant.now();
        Enrollment expired = ORG.ca().issue("old", NodeRole.CLIENT, now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(9)));
        SigningIdentity signer = ORG.signer(expired);
        assertThat(signer.isExpired(now)).isTrue();
        assertThat(signer.validate().isValid()).isTrue();

        assertThatThrownBy(() -> ORG.ca().issue("x", NodeRole.CLIENT, now, now.minusSeconds(1)))
                .hasMessageContaining("must be after notBefore");
    }

    @Test
    void aCaWithAPastWindowCanIssueIdentitiesThatStillValidate() {
        Instant now = Instant.now();
        Organization old = Organization.generate("OldMSP", "old.example.com", now.minus(Duration.ofDays(800)),
                now.minus(Duration.ofDays(1)), new SecureRandom());
        Enrollment issued = old.ca().issue("user", NodeRole.CLIENT, now.minus(Duration.ofDays(700)),
                now.minus(Duration.ofDays(2)));
        assertThat(old.signer(issued).validate().isValid()).isTrue();
    }

    @Test
    void restoresACaFromItsCertificateAndKeyOnly() {
        DevCa restored = DevCa.of(ORG.ca().certificate(), ORG.ca().keyPair());
        assertThat(ORG.signer(restored.issue("again", NodeRole.PEER)).validate().isValid()).isTrue();
        assertThatThrownBy(() -> DevCa.of(ORG.ca().certificate(), ORG.peer().keyPair()))
                .hasMessageStartingWith("the key does not match CA certificate");
        assertThatThrownBy(() -> DevCa.of(X509Cert.fromPem(ORG.peer().certificatePem().toByteArray()),
                ORG.peer().keyPair())).hasMessageEndingWith("is not a CA certificate");
    }
}
