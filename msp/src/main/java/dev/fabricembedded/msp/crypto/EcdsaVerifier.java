package dev.fabricembedded.msp.crypto;

import com.google.protobuf.ByteString;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Checks Fabric signatures: {@code Verify(m, sig)} = ECDSA over {@code H(m)} with SHA-256, where the signature
 * must be DER and low-S (Fabric's {@code identity.Verify} and {@code bccsp/sw verifyECDSA}).
 *
 * <p>A high-S signature is rejected even when it is mathematically valid, with Fabric's message
 * {@code Invalid S. Must be smaller than half the order [s][n/2].}, because accepting both forms would let
 * anyone produce a second valid signature from a first one.
 *
 * <p>Holds one public key and is thread-safe (engine per call). Keep the instance: BouncyCastle stores the
 * key point's precomputed multiples on the point object, so later verifications with the same verifier are
 * faster.
 */
public final class EcdsaVerifier {

    private static final String PREFIX = "could not determine if signature is valid: ";

    private final ECPublicKeyParameters publicKey;
    private final BigInteger halfOrder;

    /** A verifier for the given public key. */
    public EcdsaVerifier(ECPublicKeyParameters publicKey) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.halfOrder = publicKey.getParameters().getN().shiftRight(1);
    }

    /** The key this verifier checks against. */
    public ECPublicKeyParameters publicKey() {
        return publicKey;
    }

    /** {@code Verify(message, signature)}. */
    public VerificationResult verify(byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        return verifyDigest(Sha256.digest(message), signature);
    }

    /** {@code Verify(message, signature)} without copying the message out of its {@link ByteString}. */
    public VerificationResult verify(ByteString message, ByteString signature) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        return verifyDigest(Sha256.digest(message), signature.toByteArray());
    }

    /** Checks a signature over an already computed digest. */
    public VerificationResult verifyDigest(byte[] digest, byte[] signature) {
        EcdsaSignature parsed;
        try {
            parsed = EcdsaSignature.fromDer(signature);
        } catch (IllegalArgumentException e) {
            return VerificationResult.failure(VerificationResult.Code.MALFORMED,
                    PREFIX + "Failed unmashalling signature [" + e.getMessage() + "]");
        }
        if (!parsed.isLowS(halfOrder)) {
            return VerificationResult.failure(VerificationResult.Code.HIGH_S,
                    PREFIX + "Invalid S. Must be smaller than half the order [" + parsed.s() + "][" + halfOrder + "].");
        }
        ECDSASigner engine = new ECDSASigner();
        engine.init(false, publicKey);
        if (engine.verifySignature(digest, parsed.r(), parsed.s())) {
            return VerificationResult.valid();
        }
        return VerificationResult.failure(VerificationResult.Code.INVALID, "The signature is invalid");
    }
}
