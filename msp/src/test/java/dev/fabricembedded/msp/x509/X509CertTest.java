package dev.fabricembedded.msp.x509;

import dev.fabricembedded.msp.crypto.EcCurves;
import dev.fabricembedded.msp.crypto.EcdsaSignature;
import dev.fabricembedded.msp.crypto.Pem;
import dev.fabricembedded.msp.devca.DevCa;
import dev.fabricembedded.msp.devca.NodeRole;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class X509CertTest {

    private static final DevCa CA = DevCa.createRoot("org1.example.com");
    private static final X509Cert PEER = X509Cert.fromPem(CA.issue("peer0.org1.example.com", NodeRole.PEER)
            .certificatePem().toByteArray());

    static byte[] resource(String name) throws IOException {
        try (InputStream in = X509CertTest.class.getResourceAsStream("/cryptogen-org1/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void exposesTheFieldsTheMspUses() {
        X509Cert ca = CA.certificate();
        assertThat(ca.isCa()).isTrue();
        assertThat(ca.subjectKeyIdentifier()).isEqualTo(CA.keyPair().subjectKeyIdentifier());
        assertThat(ca.commonName()).isEqualTo("ca.org1.example.com");

        assertThat(PEER.isCa()).isFalse();
        assertThat(PEER.organizationalUnits()).containsExactly("peer");
        assertThat(PEER.authorityKeyIdentifier()).isEqualTo(ca.subjectKeyIdentifier());
        assertThat(PEER.issuerNameMatches(ca)).isTrue();
        assertThat(PEER.isSignedBy(ca)).isTrue();
        assertThat(PEER.isSignedBy(PEER)).isFalse();
        assertThat(PEER.isEcdsaSigned()).isTrue();
        assertThat(PEER.notAfter()).isAfter(PEER.notBefore());
    }

    @Test
    void theJdkAcceptsIssuedCertificates() throws Exception {
        X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(PEER.toPem()));
        var caKey = KeyFactory.getInstance("EC").generatePublic(
                new X509EncodedKeySpec(CA.keyPair().subjectPublicKeyInfo().getEncoded()));
        jdk.verify(caKey);
        assertThat(jdk.getEncoded()).isEqualTo(PEER.raw());
        assertThat(jdk.getSerialNumber()).isEqualTo(PEER.serialNumber());
    }

    @Test
    void rejectsTrailingDataAndGarbage() {
        byte[] raw = PEER.raw();
        byte[] trailing = Arrays.copyOf(raw, raw.length + 1);
        assertThatThrownBy(() -> X509Cert.parse(trailing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x509: trailing data");
        assertThatThrownBy(() -> X509Cert.parse(new byte[] {0x30, 0x03, 1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> X509Cert.parse("hello".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asn1");
        assertThatThrownBy(() -> X509Cert.fromPem("hello".getBytes()))
                .hasMessage("could not decode the PEM structure");
    }

    @Test
    void sanitisationTurnsAHighSSignatureIntoTheLowSOne() {
        BigInteger n = EcCurves.P256.getN();
        EcdsaSignature low = EcdsaSignature.fromDer(PEER.signature());
        X509Cert highS = PEER.withSignature(new EcdsaSignature(low.r(), n.subtract(low.s())).toDer());

        assertThat(highS.raw()).isNotEqualTo(PEER.raw());
        assertThat(highS.isSignedBy(CA.certificate())).isTrue();
        X509Cert sanitized = highS.withLowSSignature(CA.certificate());
        assertThat(sanitized.raw()).isEqualTo(PEER.raw());
        assertThat(PEER.withLowSSignature(CA.certificate())).isSameAs(PEER);
    }

    @Test
    void parsesCryptogenCertificates() throws IOException {
        X509Cert ca = X509Cert.fromPem(resource("ca.org1.example.com-cert.pem"));
        X509Cert peer = X509Cert.fromPem(resource("peer0.org1.example.com-cert.pem"));
        assertThat(ca.isCa()).isTrue();
        assertThat(ca.allowsServerAuth()).isTrue();
        assertThat(peer.commonName()).isEqualTo("peer0.org1.example.com");
        assertThat(peer.isSignedBy(ca)).isTrue();
        assertThat(peer.authorityKeyIdentifier()).isEqualTo(ca.subjectKeyIdentifier());
        assertThat(Pem.decode(peer.toPem()).content()).isEqualTo(peer.raw());
    }
}
