package dev.fabricembedded.msp.x509;

import dev.fabricembedded.msp.crypto.EcdsaSignature;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;

import java.io.IOException;
import java.util.Set;

/**
 * Verifies the issuer signature over a certificate's or CRL's to-be-signed bytes, as Go's
 * {@code CheckSignatureFrom} does: ECDSA with SHA-1/256/384/512 (high-S accepted, as Go accepts it for
 * certificates) and RSA PKCS#1 v1.5 with SHA-256/384/512.
 */
final class SignatureCheck {

    static final Set<ASN1ObjectIdentifier> ECDSA_ALGORITHMS = Set.of(X9ObjectIdentifiers.ecdsa_with_SHA1,
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);

    private SignatureCheck() {
    }

    /** {@code true} when {@code signature} over {@code signed} verifies with the issuer's public key. */
    static boolean verifies(byte[] signed, ASN1ObjectIdentifier algorithm, byte[] signature, X509Cert issuer) {
        if (ECDSA_ALGORITHMS.contains(algorithm)) {
            if (issuer.ecPublicKey() == null) {
                return false;
            }
            EcdsaSignature parsed;
            try {
                parsed = EcdsaSignature.fromDer(signature);
            } catch (IllegalArgumentException e) {
                return false;
            }
            Digest digest = ecdsaDigest(algorithm);
            byte[] hash = new byte[digest.getDigestSize()];
            digest.update(signed, 0, signed.length);
            digest.doFinal(hash, 0);
            ECDSASigner engine = new ECDSASigner();
            engine.init(false, issuer.ecPublicKey());
            return engine.verifySignature(hash, parsed.r(), parsed.s());
        }
        Digest rsaDigest = rsaDigest(algorithm);
        if (rsaDigest == null) {
            return false;
        }
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(issuer.subjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (!(key instanceof RSAKeyParameters)) {
            return false;
        }
        RSADigestSigner engine = new RSADigestSigner(rsaDigest);
        engine.init(false, key);
        engine.update(signed, 0, signed.length);
        return engine.verifySignature(signature);
    }

    private static Digest ecdsaDigest(ASN1ObjectIdentifier algorithm) {
        if (X9ObjectIdentifiers.ecdsa_with_SHA256.equals(algorithm)) {
            return new SHA256Digest();
        } else if (X9ObjectIdentifiers.ecdsa_with_SHA384.equals(algorithm)) {
            return new SHA384Digest();
        } else if (X9ObjectIdentifiers.ecdsa_with_SHA512.equals(algorithm)) {
            return new SHA512Digest();
        }
        return new SHA1Digest();
    }

    private static Digest rsaDigest(ASN1ObjectIdentifier algorithm) {
        if (PKCSObjectIdentifiers.sha256WithRSAEncryption.equals(algorithm)) {
            return new SHA256Digest();
        } else if (PKCSObjectIdentifiers.sha384WithRSAEncryption.equals(algorithm)) {
            return new SHA384Digest();
        } else if (PKCSObjectIdentifiers.sha512WithRSAEncryption.equals(algorithm)) {
            return new SHA512Digest();
        }
        return null;
    }
}
