package dev.fabricembedded.msp.x509;

import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.devca.DevCa;
import dev.fabricembedded.msp.devca.NodeRole;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RevocationListTest {

    private static final DevCa CA = DevCa.createRoot("org1.example.com");

    @Test
    void listsRevokedSerialsAndIsTiedToItsCa() {
        Enrollment revoked = CA.issue("revoked", NodeRole.CLIENT);
        BigInteger serial = X509Cert.fromPem(revoked.certificatePem().toByteArray()).serialNumber();

        RevocationList crl = RevocationList.parse(CA.revoke(revoked).toByteArray());

        assertThat(crl.lists(serial)).isTrue();
        assertThat(crl.lists(serial.add(BigInteger.ONE))).isFalse();
        assertThat(crl.isFromAuthority(CA.certificate().subjectKeyIdentifier())).isTrue();
        assertThat(crl.isSignedBy(CA.certificate())).isTrue();
        assertThat(crl.isSignedBy(DevCa.createRoot("other.example.com").certificate())).isFalse();
    }

    @Test
    void garbageIsRejectedWithFabricsPrefix() {
        assertThatThrownBy(() -> RevocationList.parse(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("could not parse RevocationList: ");
    }
}
