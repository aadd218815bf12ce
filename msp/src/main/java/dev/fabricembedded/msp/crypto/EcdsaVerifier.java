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
    private final RecentVerifications recent;

    /** A verifier for the given public key, remembering its last successes as {@link RecentVerifications}. */
    public EcdsaVerifier(ECPublicKeyParameters publicKey) {
        this(publicKey, new RecentVerifications());
    }

    /**
     * A verifier for the given public key with the memo {@link #verifyAndRemember} fills and {@link #verifyOrRecall}
     * reads; the memo must belong to this key only.
     */
    public EcdsaVerifier(ECPublicKeyParameters publicKey, RecentVerifications recent) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.halfOrder = publicKey.getParameters().getN().shiftRight(1);
        this.recent = Objects.requireNonNull(recent, "recent");
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

    /**
     * {@link #verify(ByteString, ByteString)}, remembering a success in this verifier's {@link RecentVerifications}
     * so that {@link #verifyOrRecall} may answer the same question again without the ECDSA arithmetic. For a check
     * that the same thread (or another) is known to repeat moments later, e.g. a proposal's creator signature, which
     * Fabric verifies in {@code ValidateProposalMessage} and again in the {@code peer/Propose} policy.
     */
    public VerificationResult verifyAndRemember(ByteString message, ByteString signature) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        byte[] digest = Sha256.digest(message);
        byte[] signatureBytes = signature.toByteArray();
        VerificationResult result = verifyDigest(digest, signatureBytes);
        if (result.isValid()) {
            recent.remember(digest, signatureBytes);
        }
        return result;
    }

    /**
     * {@link #verify(ByteString, ByteString)}, answered from this verifier's {@link RecentVerifications} when the very
     * same signature bytes over a message with the same SHA-256 were {@link #verifyAndRemember verified successfully}
     * moments ago: the result is then necessarily valid again (see {@link RecentVerifications} for why). Anything else,
     * a tampered signature or message included, is verified in full. Nothing is remembered here.
     */
    public VerificationResult verifyOrRecall(ByteString message, ByteString signature) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        byte[] digest = Sha256.digest(message);
        byte[] signatureBytes = signature.toByteArray();
        if (recent.recall(digest, signatureBytes)) {
            return VerificationResult.valid();
        }
        return verifyDigest(digest, signatureBytes);
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
