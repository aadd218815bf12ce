package dev.fabricembedded.msp.x509;

import dev.fabricembedded.msp.crypto.EcKeyPair;
import dev.fabricembedded.msp.crypto.Pem;
import dev.fabricembedded.msp.devca.DevCa;
import dev.fabricembedded.msp.devca.NodeRole;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertPoolTest {

    private static final DevCa ROOT = DevCa.createRoot("org1.example.com");
    private static final DevCa INTERMEDIATE = ROOT.intermediate("ica.org1.example.com");

    private static X509Cert issued(DevCa ca, String name) {
        return X509Cert.fromPem(ca.issue(name, NodeRole.CLIENT).certificatePem().toByteArray());
    }

    private static Instant at(X509Cert cert) {
        return cert.notBefore().plusSeconds(1);
    }

    @Test
    void buildsAChainThroughAnIntermediate() {
        CertPool pool = new CertPool(List.of(ROOT.certificate()), List.of(INTERMEDIATE.certificate()));
        X509Cert leaf = issued(INTERMEDIATE, "user");

        CertPool.Chains chains = pool.chains(leaf, at(leaf));

        assertThat(chains.found()).isTrue();
        assertThat(chains.chains()).hasSize(1);
        assertThat(chains.chains().get(0)).containsExactly(leaf, INTERMEDIATE.certificate(), ROOT.certificate());
    }

    @Test
    void aRootIsItsOwnChain() {
        CertPool pool = new CertPool(List.of(ROOT.certificate()), List.of());
        assertThat(pool.chains(ROOT.certificate(), at(ROOT.certificate())).chains())
                .containsExactly(List.of(ROOT.certificate()));
        assertThat(pool.isRoot(ROOT.certificate())).isTrue();
    }

    @Test
    void anUnknownIssuerGivesGosError() {
        CertPool pool = new CertPool(List.of(ROOT.certificate()), List.of());
        X509Cert stranger = issued(DevCa.createRoot("evil.example.com"), "user");

        CertPool.Chains chains = pool.chains(stranger, at(stranger));

        assertThat(chains.found()).isFalse();
        assertThat(chains.error()).isEqualTo("x509: certificate signed by unknown authority");
    }

    @Test
    void anIssuerWithTheSameNameButAnotherKeyHintsAtTheFailedSignature() {
        // another CA with the same subject name: the name matches the trusted root, the signature does not
        CertPool pool = new CertPool(List.of(ROOT.certificate()), List.of());
        X509Cert otherRootLeaf = issued(DevCa.createRoot("org1.example.com"), "user");
        CertPool.Chains chains = pool.chains(otherRootLeaf, at(otherRootLeaf));
        assertThat(chains.error()).startsWith("x509: certificate signed by unknown authority (possibly because of "
                + "\"x509: ECDSA verification failure\" while trying to verify candidate authority certificate "
                + "\"ca.org1.example.com\")");
    }

    @Test
    void everyCertificateMustBeValidAtTheVerificationTime() {
        CertPool pool = new CertPool(List.of(ROOT.certificate()), List.of());
        X509Cert leaf = issued(ROOT, "user");
        Instant beforeCa = ROOT.certificate().notBefore().minusSeconds(10);

        assertThat(pool.chains(leaf, beforeCa).error())
                .startsWith("x509: certificate has expired or is not yet valid: current time");
        Instant afterLeaf = leaf.notAfter().plusSeconds(1);
        assertThat(pool.chains(leaf, afterLeaf).error()).contains("is after");
    }

    @Test
    void aChainMustAllowServerAuthWhenExtendedKeyUsagesAreSet() throws Exception {
        EcKeyPair leafKeys = EcKeyPair.generate();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(ROOT.certificate().holder().getSubject(),
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(1))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=client-only"),
                leafKeys.subjectPublicKeyInfo());
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        var caPrivate = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Pem.decode(ROOT.keyPair().toPkcs8Pem()).content()));
        X509Cert leaf = X509Cert.parse(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caPrivate))
                .getEncoded());

        CertPool.Chains chains = new CertPool(List.of(ROOT.certificate()), List.of()).chains(leaf, at(leaf));

        assertThat(chains.error()).isEqualTo("x509: certificate specifies an incompatible key usage");
    }
}
