package dev.fabricembedded.msp.devca;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.crypto.EcKeyPair;
import dev.fabricembedded.msp.crypto.EcdsaSigner;
import dev.fabricembedded.msp.crypto.Pem;
import dev.fabricembedded.msp.x509.X509Cert;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * A certificate authority for development and tests: a P-256 key and a CA certificate that issue identity
 * certificates, intermediate CAs and CRLs shaped like cryptogen's (subject {@code C=US, ST=California,
 * L=San Francisco, [OU=<role>,] CN=<name>}, subject key identifier = H(public point), authority key identifier on
 * every issued certificate and CRL, signatures ECDSA-SHA256 low-S).
 *
 * <p>Immutable; thread-safe.
 */
public final class DevCa {

    /** Default validity of a CA: from 30 days ago (so back-dated test identities still chain) for 10 years. */
    public static final Duration DEFAULT_CA_BACKDATE = Duration.ofDays(30);
    /** Default lifetime of certificates. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(3650);
    /** Issued identities start slightly in the past, as cryptogen's do, to tolerate clock skew. */
    public static final Duration DEFAULT_LEAF_BACKDATE = Duration.ofMinutes(5);

    private final X509Cert certificate;
    private final ByteString certificatePem;
    private final EcKeyPair keyPair;
    private final X500Name subject;
    private final SecureRandom random;

    private DevCa(X509Cert certificate, EcKeyPair keyPair, SecureRandom random) {
        this.certificate = certificate;
        this.certificatePem = ByteString.copyFrom(certificate.toPem());
        this.keyPair = keyPair;
        this.subject = certificate.holder().getSubject();
        this.random = random;
    }

    /** A root CA named {@code ca.<domain>} for organisation {@code domain}, with default validity. */
    public static DevCa createRoot(String domain) {
        Instant now = Instant.now();
        return createRoot("ca." + domain, domain, now.minus(DEFAULT_CA_BACKDATE), now.plus(DEFAULT_LIFETIME),
                new SecureRandom());
    }

    /**
     * A self-signed root CA.
     *
     * @param commonName   the CA's CN, e.g. {@code ca.org1.example.com}
     * @param organization the O attribute, e.g. {@code org1.example.com}
     * @param notBefore    start of validity
     * @param notAfter     end of validity
     * @param random       source for the key and serial numbers
     */
    public static DevCa createRoot(String commonName, String organization, Instant notBefore, Instant notAfter,
            SecureRandom random) {
        EcKeyPair keys = EcKeyPair.generate(random);
        X500Name name = caName(commonName, organization);
        X509Cert cert = sign(name, keys, name, keys.subjectPublicKeyInfo(), keys.subjectKeyIdentifier(), null,
                notBefore, notAfter, true, random);
        return new DevCa(cert, keys, random);
    }

    /** Restores a CA from its certificate and key (e.g. read back from {@code ca/} of a cryptogen layout). */
    public static DevCa of(X509Cert certificate, EcKeyPair keyPair) {
        if (!certificate.isCa()) {
            throw new IllegalArgumentException("certificate " + certificate.subject() + " is not a CA certificate");
        }
        if (!keyPair.matches(certificate.ecPublicKey())) {
            throw new IllegalArgumentException("the key does not match CA certificate " + certificate.subject());
        }
        return new DevCa(certificate, keyPair, new SecureRandom());
    }

    /** An intermediate CA certified by this CA, valid over this CA's default window. */
    public DevCa intermediate(String commonName) {
        Instant now = Instant.now();
        return intermediate(commonName, now.minus(DEFAULT_CA_BACKDATE).plusSeconds(60), now.plus(DEFAULT_LIFETIME));
    }

    /** An intermediate CA certified by this CA. */
    public DevCa intermediate(String commonName, Instant notBefore, Instant notAfter) {
        EcKeyPair keys = EcKeyPair.generate(random);
        X500Name name = caName(commonName, organization());
        X509Cert cert = sign(subject, keyPair, name, keys.subjectPublicKeyInfo(), keys.subjectKeyIdentifier(),
                keyPair.subjectKeyIdentifier(), notBefore, notAfter, true, random);
        return new DevCa(cert, keys, random);
    }

    /** Issues an identity with the role's OU, valid from a few minutes ago for {@link #DEFAULT_LIFETIME}. */
    public Enrollment issue(String commonName, NodeRole role) {
        Instant now = Instant.now();
        return issue(commonName, role, now.minus(DEFAULT_LEAF_BACKDATE), now.plus(DEFAULT_LIFETIME));
    }

    /** Issues an identity with the role's OU and the given validity (use a past window for an expired one). */
    public Enrollment issue(String commonName, NodeRole role, Instant notBefore, Instant notAfter) {
        return issue(commonName, role == null ? List.of() : List.of(role.organizationalUnit()), notBefore, notAfter);
    }

    /**
     * Issues an identity certificate with arbitrary OUs (none for MSPs without NodeOUs, several to test the
     * "exactly one node OU" rule).
     */
    public Enrollment issue(String commonName, List<String> organizationalUnits, Instant notBefore, Instant notAfter) {
        Objects.requireNonNull(commonName, "commonName");
        EcKeyPair keys = EcKeyPair.generate(random);
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.ST, "California").addRDN(BCStyle.L, "San Francisco");
        for (String ou : organizationalUnits) {
            name.addRDN(BCStyle.OU, ou);
        }
        name.addRDN(BCStyle.CN, commonName);
        X509Cert cert = sign(subject, keyPair, name.build(), keys.subjectPublicKeyInfo(), keys.subjectKeyIdentifier(),
                keyPair.subjectKeyIdentifier(), notBefore, notAfter, false, random);
        return new Enrollment(ByteString.copyFrom(cert.toPem()), keys);
    }

    /**
     * A CRL signed by this CA that revokes the given serial numbers (PEM, {@code X509 CRL}), with the authority key
     * identifier Fabric uses to match it to this CA.
     */
    public ByteString revocationList(Collection<BigInteger> serialNumbers) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(subject, Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(365))));
        for (BigInteger serial : serialNumbers) {
            builder.addCRLEntry(serial, Date.from(now), CRLReason.keyCompromise);
        }
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(keyPair.subjectKeyIdentifier()));
            byte[] der = builder.build(new EcdsaContentSigner(new EcdsaSigner(keyPair.privateKey()))).getEncoded();
            return ByteString.copyFrom(Pem.encode("X509 CRL", der));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode CRL", e);
        }
    }

    /** A CRL revoking the certificates of the given enrollments. */
    public ByteString revoke(Enrollment... enrollments) {
        return revocationList(java.util.Arrays.stream(enrollments)
                .map(e -> X509Cert.fromPem(e.certificatePem().toByteArray()).serialNumber()).toList());
    }

    /** The CA certificate. */
    public X509Cert certificate() {
        return certificate;
    }

    /** The CA certificate as PEM. */
    public ByteString certificatePem() {
        return certificatePem;
    }

    /** The CA key pair. */
    public EcKeyPair keyPair() {
        return keyPair;
    }

    private String organization() {
        var o = subject.getRDNs(BCStyle.O);
        return o.length == 0 ? "" : o[0].getFirst().getValue().toString();
    }

    private static X500Name caName(String commonName, String organization) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.ST, "California").addRDN(BCStyle.L, "San Francisco");
        if (organization != null && !organization.isEmpty()) {
            name.addRDN(BCStyle.O, organization);
        }
        return name.addRDN(BCStyle.CN, commonName).build();
    }

    private static X509Cert sign(X500Name issuer, EcKeyPair issuerKeys, X500Name subject,
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicKey, byte[] subjectKeyId, byte[] authorityKeyId,
            Instant notBefore, Instant notAfter, boolean ca, SecureRandom random) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        BigInteger serial = new BigInteger(128, random);
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial,
                Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)), Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)),
                subject, publicKey);
        try {
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                        | KeyUsage.keyEncipherment | KeyUsage.keyCertSign | KeyUsage.cRLSign));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyId));
            if (authorityKeyId != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
            }
        } catch (CertIOException e) {
            throw new UncheckedIOException("cannot encode certificate extension", e);
        }
        X509CertificateHolder holder = builder.build(new EcdsaContentSigner(new EcdsaSigner(issuerKeys.privateKey())));
        try {
            return X509Cert.parse(holder.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode certificate", e);
        }
    }

    @Override
    public String toString() {
        return "DevCa[" + certificate.subject() + "]";
    }
}
