package dev.fabricembedded.msp.x509;

import dev.fabricembedded.msp.crypto.DerReader;
import dev.fabricembedded.msp.crypto.EcCurves;
import dev.fabricembedded.msp.crypto.EcdsaSignature;
import dev.fabricembedded.msp.crypto.Pem;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed X.509 certificate that keeps its exact encoding ({@link #raw()}, Go's {@code cert.Raw}) and the
 * exact bytes its issuer signed ({@code tbsCertificate} as received, never re-encoded).
 *
 * <p>Parsing is done once per distinct certificate (identities are cached by their serialized bytes), slices the
 * outer structure with a strict DER reader and lets BouncyCastle decode the {@code tbsCertificate} fields. The
 * fields Fabric's MSP uses are extracted eagerly; {@link #holder()} exposes the full BouncyCastle view.
 * Immutable and thread-safe.
 */
public final class X509Cert {

    private static final KeyPurposeId ANY_EXTENDED_KEY_USAGE = KeyPurposeId.anyExtendedKeyUsage;

    private final byte[] raw;
    private final byte[] tbs;
    private final byte[] signatureAlgorithm;
    private final ASN1ObjectIdentifier signatureAlgorithmOid;
    private final byte[] signature;
    private final X509CertificateHolder holder;
    private final byte[] rawIssuer;
    private final byte[] rawSubject;
    private final BigInteger serialNumber;
    private final Instant notBefore;
    private final Instant notAfter;
    private final boolean ca;
    private final byte[] subjectKeyIdentifier;
    private final byte[] authorityKeyIdentifier;
    private final List<String> organizationalUnits;
    private final Set<KeyPurposeId> extendedKeyUsages;
    private final SubjectPublicKeyInfo subjectPublicKeyInfo;
    private final ECPublicKeyParameters ecPublicKey;
    private final String publicKeyError;

    private X509Cert(byte[] raw) {
        this.raw = raw;
        DerReader outer = new DerReader(raw);
        DerReader.Element certificate = outer.next(DerReader.TAG_SEQUENCE, "SEQUENCE");
        if (outer.hasRemaining()) {
            throw new IllegalArgumentException("x509: trailing data");
        }
        DerReader fields = outer.contents(certificate);
        DerReader.Element tbsElement = fields.next(DerReader.TAG_SEQUENCE, "SEQUENCE");
        DerReader.Element algorithmElement = fields.next(DerReader.TAG_SEQUENCE, "SEQUENCE");
        DerReader.Element signatureElement = fields.next(DerReader.TAG_BIT_STRING, "BIT STRING");
        this.tbs = fields.encoded(tbsElement);
        this.signatureAlgorithm = fields.encoded(algorithmElement);
        byte[] bits = fields.content(signatureElement);
        if (bits.length == 0 || bits[0] != 0) {
            throw new IllegalArgumentException("x509: signature is not a whole number of bytes");
        }
        this.signature = Arrays.copyOfRange(bits, 1, bits.length);

        Certificate parsed;
        try {
            parsed = Certificate.getInstance(ASN1Primitive.fromByteArray(raw));
        } catch (Exception e) {
            throw new IllegalArgumentException("x509: malformed certificate: " + e.getMessage(), e);
        }
        this.holder = new X509CertificateHolder(parsed);
        TBSCertificate tbsCertificate = parsed.getTBSCertificate();
        this.signatureAlgorithmOid = AlgorithmIdentifier.getInstance(parsed.getSignatureAlgorithm()).getAlgorithm();

        // issuer and subject as received: chains are built by byte equality of names, as Go does
        DerReader tbsFields = new DerReader(tbs);
        DerReader inner = tbsFields.contents(tbsFields.next(DerReader.TAG_SEQUENCE, "SEQUENCE"));
        if (inner.next().tag() == 0xa0) {
            inner.next(); // the serial number follows an explicit version
        }
        inner.next(DerReader.TAG_SEQUENCE, "SEQUENCE"); // signature algorithm
        this.rawIssuer = inner.encoded(inner.next(DerReader.TAG_SEQUENCE, "SEQUENCE"));
        inner.next(DerReader.TAG_SEQUENCE, "SEQUENCE"); // validity
        this.rawSubject = inner.encoded(inner.next(DerReader.TAG_SEQUENCE, "SEQUENCE"));

        this.serialNumber = tbsCertificate.getSerialNumber().getValue();
        this.notBefore = tbsCertificate.getStartDate().getDate().toInstant();
        this.notAfter = tbsCertificate.getEndDate().getDate().toInstant();
        this.organizationalUnits = organizationalUnits(tbsCertificate.getSubject());

        Extensions extensions = tbsCertificate.getExtensions();
        BasicConstraints basicConstraints = extensions == null ? null : BasicConstraints.fromExtensions(extensions);
        this.ca = basicConstraints != null && basicConstraints.isCA();
        SubjectKeyIdentifier ski = extensions == null ? null : SubjectKeyIdentifier.fromExtensions(extensions);
        this.subjectKeyIdentifier = ski == null ? null : ski.getKeyIdentifier();
        AuthorityKeyIdentifier aki = extensions == null ? null : AuthorityKeyIdentifier.fromExtensions(extensions);
        this.authorityKeyIdentifier = aki == null ? null : aki.getKeyIdentifierOctets();
        ExtendedKeyUsage eku = extensions == null ? null : ExtendedKeyUsage.fromExtensions(extensions);
        this.extendedKeyUsages = eku == null ? null : Set.copyOf(Arrays.asList(eku.getUsages()));

        this.subjectPublicKeyInfo = tbsCertificate.getSubjectPublicKeyInfo();
        ECPublicKeyParameters key = null;
        String keyError = null;
        try {
            key = EcCurves.publicKey(subjectPublicKeyInfo);
        } catch (RuntimeException e) {
            keyError = e.getMessage();
        }
        this.ecPublicKey = key;
        this.publicKeyError = keyError;
    }

    /**
     * Parses a DER certificate.
     *
     * @throws IllegalArgumentException naming the problem, e.g. {@code x509: trailing data} or
     *                                  {@code asn1: syntax error: data truncated}
     */
    public static X509Cert parse(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            return new X509Cert(der.clone());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("x509: malformed certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the first PEM block of {@code pem} as a certificate (Fabric's {@code getCertFromPem}).
     *
     * @throws IllegalArgumentException when there is no PEM block or the block is not a certificate
     */
    public static X509Cert fromPem(byte[] pem) {
        var block = Pem.decode(pem);
        if (block == null) {
            throw new IllegalArgumentException("could not decode the PEM structure");
        }
        return parse(block.content());
    }

    /** The certificate as PEM ({@code CERTIFICATE} block). */
    public byte[] toPem() {
        return Pem.encode("CERTIFICATE", raw);
    }

    /** The exact DER encoding (Go's {@code Raw}); a copy. */
    public byte[] raw() {
        return raw.clone();
    }

    /** Length of {@link #raw()} without copying. */
    public int rawLength() {
        return raw.length;
    }

    /** {@code true} when both certificates have identical encodings (Go's {@code Certificate.Equal}). */
    public boolean sameEncodingAs(X509Cert other) {
        return Arrays.equals(raw, other.raw);
    }

    /** Feeds the encoding to a digest without copying it. */
    public void updateDigest(java.security.MessageDigest digest) {
        digest.update(raw);
    }

    /** The full BouncyCastle view of the certificate. */
    public X509CertificateHolder holder() {
        return holder;
    }

    public BigInteger serialNumber() {
        return serialNumber;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** {@code true} when the basic constraints extension says CA (Go's {@code IsCA}). */
    public boolean isCa() {
        return ca;
    }

    /** The subject key identifier, or {@code null} when the extension is absent; a copy. */
    public byte[] subjectKeyIdentifier() {
        return subjectKeyIdentifier == null ? null : subjectKeyIdentifier.clone();
    }

    /** The authority key identifier's key id, or {@code null}; a copy. */
    public byte[] authorityKeyIdentifier() {
        return authorityKeyIdentifier == null ? null : authorityKeyIdentifier.clone();
    }

    /** The subject's OU values in certificate order (Go's {@code Subject.OrganizationalUnit}). */
    public List<String> organizationalUnits() {
        return organizationalUnits;
    }

    /** The subject as a readable name, for messages. */
    public String subject() {
        return holder.getSubject().toString();
    }

    /** The issuer as a readable name, for messages. */
    public String issuer() {
        return holder.getIssuer().toString();
    }

    /** The subject's common name, or the whole subject when it has none. */
    public String commonName() {
        RDN[] cns = holder.getSubject().getRDNs(BCStyle.CN);
        if (cns.length == 0) {
            return subject();
        }
        return valueString(cns[0].getFirst().getValue());
    }

    public SubjectPublicKeyInfo subjectPublicKeyInfo() {
        return subjectPublicKeyInfo;
    }

    /** The public key when it is an EC key on a known named curve, otherwise {@code null}. */
    public ECPublicKeyParameters ecPublicKey() {
        return ecPublicKey;
    }

    /** Why {@link #ecPublicKey()} is {@code null}, or {@code null} when it is not. */
    public String publicKeyError() {
        return publicKeyError;
    }

    /** {@code true} when the issuer signed this certificate with ECDSA (Fabric's {@code isECDSASignedCert}). */
    public boolean isEcdsaSigned() {
        return SignatureCheck.ECDSA_ALGORITHMS.contains(signatureAlgorithmOid);
    }

    /** The issuer's signature (BIT STRING contents); a copy. */
    public byte[] signature() {
        return signature.clone();
    }

    /** {@code true} when this certificate's issuer name is byte-equal to {@code candidate}'s subject. */
    public boolean issuerNameMatches(X509Cert candidate) {
        return Arrays.equals(rawIssuer, candidate.rawSubject);
    }

    /** The subject name encoding, used to index certificate pools. */
    byte[] rawSubject() {
        return rawSubject;
    }

    /** The issuer name encoding. */
    byte[] rawIssuer() {
        return rawIssuer;
    }

    /** {@code true} when {@code issuer}'s key verifies this certificate's signature (high-S accepted). */
    public boolean isSignedBy(X509Cert issuer) {
        return SignatureCheck.verifies(tbs, signatureAlgorithmOid, signature, issuer);
    }

    /** {@code true} when {@code at} lies in {@code [notBefore, notAfter]}. */
    public boolean isValidAt(Instant at) {
        return !at.isBefore(notBefore) && !at.isAfter(notAfter);
    }

    /**
     * {@code true} when the extended key usages allow TLS server authentication, the usage Go's
     * {@code Verify} checks by default (Fabric leaves {@code KeyUsages} empty): no extension, "any", or
     * {@code serverAuth}.
     */
    public boolean allowsServerAuth() {
        return extendedKeyUsages == null || extendedKeyUsages.isEmpty()
                || extendedKeyUsages.contains(ANY_EXTENDED_KEY_USAGE)
                || extendedKeyUsages.contains(KeyPurposeId.id_kp_serverAuth);
    }

    /**
     * Fabric's certificate sanitisation ({@code sanitizeECDSASignedCert}): when the ECDSA signature's s is in
     * the upper half of the issuer curve's order, returns the certificate re-encoded with {@code n - s};
     * otherwise returns this certificate. Two encodings of one certificate thus get one identity id.
     *
     * @param parent the issuer (the certificate itself for a self-signed root)
     * @throws IllegalArgumentException when the signature cannot be decoded
     */
    public X509Cert withLowSSignature(X509Cert parent) {
        if (!isEcdsaSigned() || parent.ecPublicKey() == null) {
            return this;
        }
        EcdsaSignature parsed = EcdsaSignature.fromDer(signature);
        EcdsaSignature low = parsed.toLowS(parent.ecPublicKey().getParameters().getN());
        if (low == parsed) {
            return this;
        }
        return withSignature(low.toDer());
    }

    /** This certificate with another signature value (used by sanitisation and by tests forging high-S). */
    public X509Cert withSignature(byte[] newSignature) {
        byte[] bits = new byte[newSignature.length + 1];
        System.arraycopy(newSignature, 0, bits, 1, newSignature.length);
        byte[] encoded = DerReader.element(DerReader.TAG_SEQUENCE, tbs, signatureAlgorithm,
                DerReader.element(DerReader.TAG_BIT_STRING, bits));
        return new X509Cert(encoded);
    }

    private static List<String> organizationalUnits(X500Name subject) {
        List<String> units = new ArrayList<>(1);
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (BCStyle.OU.equals(atv.getType())) {
                    units.add(valueString(atv.getValue()));
                }
            }
        }
        return Collections.unmodifiableList(units);
    }

    private static String valueString(ASN1Encodable value) {
        return value instanceof ASN1String s ? s.getString() : value.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof X509Cert other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "X509Cert[subject=" + subject() + ", serial=" + serialNumber.toString(16) + "]";
    }
}
