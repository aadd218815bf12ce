package dev.fabricembedded.msp.x509;

import dev.fabricembedded.msp.crypto.DerReader;
import dev.fabricembedded.msp.crypto.Pem;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.TBSCertList;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A certificate revocation list as an MSP uses it: the authority key identifier that ties it to the CA that
 * issued it, the revoked serial numbers, and a way to check that the CA really signed it.
 *
 * <p>Fabric ignores revocation dates: a listed serial is revoked from the moment the MSP configuration holding
 * the CRL is used. Immutable and thread-safe.
 */
public final class RevocationList {

    private static final byte[] PEM_PREFIX = "-----BEGIN X509 CRL".getBytes(StandardCharsets.US_ASCII);

    private final byte[] tbs;
    private final ASN1ObjectIdentifier signatureAlgorithm;
    private final byte[] signature;
    private final byte[] authorityKeyIdentifier;
    private final Set<BigInteger> revokedSerials;
    private final String issuer;

    private RevocationList(byte[] der) {
        DerReader outer = new DerReader(der);
        DerReader fields = outer.contents(outer.next(DerReader.TAG_SEQUENCE, "SEQUENCE"));
        this.tbs = fields.encoded(fields.next(DerReader.TAG_SEQUENCE, "SEQUENCE"));
        fields.next(DerReader.TAG_SEQUENCE, "SEQUENCE");
        byte[] bits = fields.content(fields.next(DerReader.TAG_BIT_STRING, "BIT STRING"));
        if (bits.length == 0 || bits[0] != 0) {
            throw new IllegalArgumentException("x509: CRL signature is not a whole number of bytes");
        }
        this.signature = Arrays.copyOfRange(bits, 1, bits.length);
        CertificateList list;
        try {
            list = CertificateList.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (Exception e) {
            throw new IllegalArgumentException("x509: malformed CRL: " + e.getMessage(), e);
        }
        this.signatureAlgorithm = AlgorithmIdentifier.getInstance(list.getSignatureAlgorithm()).getAlgorithm();
        TBSCertList tbsList = list.getTBSCertList();
        this.issuer = tbsList.getIssuer().toString();
        Extensions extensions = tbsList.getExtensions();
        AuthorityKeyIdentifier aki = extensions == null ? null : AuthorityKeyIdentifier.fromExtensions(extensions);
        this.authorityKeyIdentifier = aki == null ? null : aki.getKeyIdentifierOctets();
        Set<BigInteger> serials = new HashSet<>();
        for (TBSCertList.CRLEntry entry : tbsList.getRevokedCertificates()) {
            serials.add(entry.getUserCertificate().getValue());
        }
        this.revokedSerials = Set.copyOf(serials);
    }

    /**
     * Parses a CRL in PEM ({@code X509 CRL}) or DER form, as Go's {@code x509.ParseCRL} accepts both.
     *
     * @throws IllegalArgumentException {@code could not parse RevocationList: <reason>}
     */
    public static RevocationList parse(byte[] pemOrDer) {
        Objects.requireNonNull(pemOrDer, "pemOrDer");
        try {
            byte[] der = pemOrDer;
            if (startsWith(pemOrDer, PEM_PREFIX)) {
                var block = Pem.decode(pemOrDer);
                if (block == null) {
                    throw new IllegalArgumentException("could not decode the PEM structure");
                }
                der = block.content();
            }
            return new RevocationList(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not parse RevocationList: " + e.getMessage(), e);
        }
    }

    /** The key id of the CA that issued this list, or {@code null} when the extension is absent; a copy. */
    public byte[] authorityKeyIdentifier() {
        return authorityKeyIdentifier == null ? null : authorityKeyIdentifier.clone();
    }

    /** {@code true} when the list's authority key id equals {@code keyIdentifier}. */
    public boolean isFromAuthority(byte[] keyIdentifier) {
        return authorityKeyIdentifier != null && keyIdentifier != null
                && Arrays.equals(authorityKeyIdentifier, keyIdentifier);
    }

    /** {@code true} when the list names this serial number. */
    public boolean lists(BigInteger serialNumber) {
        return revokedSerials.contains(serialNumber);
    }

    /** The revoked serial numbers. */
    public Set<BigInteger> revokedSerials() {
        return revokedSerials;
    }

    /** {@code true} when {@code ca}'s key verifies the list's signature (Go's {@code CheckCRLSignature}). */
    public boolean isSignedBy(X509Cert ca) {
        return SignatureCheck.verifies(tbs, signatureAlgorithm, signature, ca);
    }

    @Override
    public String toString() {
        return "RevocationList[issuer=" + issuer + ", revoked=" + revokedSerials.size() + "]";
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
