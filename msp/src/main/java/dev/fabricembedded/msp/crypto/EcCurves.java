package dev.fabricembedded.msp.crypto;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The elliptic curves this module works with, as BouncyCastle domain parameters.
 *
 * <p>P-256 (secp256r1) is Fabric's default and the only curve the dev CA generates. Verification accepts any
 * named curve BouncyCastle knows, as Fabric's BCCSP does. BouncyCastle's <em>custom</em> curve implementations
 * (specialised field arithmetic) are preferred over the generic ones: they are several times faster, and
 * points decoded on them keep their precomputation tables across verifications.
 */
public final class EcCurves {

    /** NIST P-256 / secp256r1 with BouncyCastle's custom implementation. */
    public static final ECNamedDomainParameters P256 = named(SECObjectIdentifiers.secp256r1);

    private EcCurves() {
    }

    /**
     * Domain parameters for a named curve.
     *
     * @throws IllegalArgumentException when BouncyCastle does not know the curve
     */
    public static ECNamedDomainParameters byOid(ASN1ObjectIdentifier oid) {
        if (P256 != null && P256.getName().equals(oid)) {
            return P256;
        }
        return named(oid);
    }

    private static ECNamedDomainParameters named(ASN1ObjectIdentifier oid) {
        X9ECParameters parameters = CustomNamedCurves.getByOID(oid);
        if (parameters == null) {
            parameters = ECNamedCurveTable.getByOID(oid);
        }
        if (parameters == null) {
            throw new IllegalArgumentException("unsupported elliptic curve " + oid);
        }
        return new ECNamedDomainParameters(oid, parameters);
    }

    /**
     * Imports an EC public key from a certificate's {@code SubjectPublicKeyInfo}.
     *
     * @throws IllegalArgumentException when the key is not an EC key on a named curve, or the point is invalid
     */
    public static ECPublicKeyParameters publicKey(SubjectPublicKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            throw new IllegalArgumentException("certificate's public key type not recognized (algorithm "
                    + algorithm + "); supported keys: [ECDSA]");
        }
        ASN1Encodable parameters = info.getAlgorithm().getParameters();
        X962Parameters x962 = parameters == null ? null : X962Parameters.getInstance(parameters);
        if (x962 == null || !x962.isNamedCurve()) {
            throw new IllegalArgumentException("EC public key without a named curve is not supported");
        }
        ECNamedDomainParameters domain = byOid(ASN1ObjectIdentifier.getInstance(x962.getParameters()));
        ECPoint point = domain.getCurve().decodePoint(info.getPublicKeyData().getOctets());
        return new ECPublicKeyParameters(point, domain);
    }
}
