package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.msp.x509.X509Cert;
import org.hyperledger.fabric.protos.common.MSPPrincipal;

import java.time.Instant;
import java.util.List;

/**
 * An X.509 identity deserialized by an {@link Msp}: who signed something, and whether the MSP vouches for them.
 *
 * <p>Guarantees: {@link #serialized()} are the bytes the identity was deserialized from, untouched (they are what
 * Fabric hashes and signs over); {@link #certificate()} is the certificate after Fabric's low-S sanitisation, so
 * {@link #id()} is the same for every encoding of one certificate; validation results do not depend on the
 * current time (Fabric checks the chain at the certificate's NotBefore + 1 s) and are computed at most once.
 * Expiry is reported separately by {@link #isExpired(Instant)}: the endorser and orderer reject expired
 * identities, the committer and policy evaluation do not.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Identity {

    /** The MSP this identity belongs to (the {@code mspid} of its {@code SerializedIdentity}). */
    String mspId();

    /** Fabric's identity id: lower-case hex of {@code H(sanitised certificate DER)}. */
    String id();

    /** The sanitised certificate. */
    X509Cert certificate();

    /** The {@code SerializedIdentity} protobuf bytes, exactly as received or produced. */
    ByteString serialized();

    /** A copy of {@link #serialized()}. */
    default byte[] serialize() {
        return serialized().toByteArray();
    }

    /** {@code Verify(message, signature)}: low-S ECDSA/SHA-256 by this identity's key. */
    VerificationResult verify(byte[] message, byte[] signature);

    /** {@code Verify(message, signature)} without copying the message. */
    VerificationResult verify(ByteString message, ByteString signature);

    /**
     * {@link #verify(ByteString, ByteString)}, and a success is remembered for a short while (a few entries, about
     * two seconds) so that {@link #verifyOrRecall} of the very same message and signature moments later needs no
     * second ECDSA verification. For checks known to be repeated: the endorser verifies a proposal's creator
     * signature with it before the {@code peer/Propose} policy evaluates the same signed data
     * ({@link dev.fabricembedded.msp.crypto.RecentVerifications} says why a recalled answer is exact). The default
     * remembers nothing.
     */
    default VerificationResult verifyAndRemember(ByteString message, ByteString signature) {
        return verify(message, signature);
    }

    /**
     * {@link #verify(ByteString, ByteString)}, or {@code valid} at once when this identity
     * {@link #verifyAndRemember verified and remembered} the same signature bytes over a message with the same
     * SHA-256 moments ago. Policy evaluation uses it; anything not remembered, a tampered signature or message
     * included, is verified in full. The default always verifies.
     */
    default VerificationResult verifyOrRecall(ByteString message, ByteString signature) {
        return verify(message, signature);
    }

    /** The certificate's NotAfter. */
    Instant expiresAt();

    /** {@code true} when {@code now} is after the certificate's NotAfter (Fabric's {@code ExpirationCheck}). */
    default boolean isExpired(Instant now) {
        return now.isAfter(expiresAt());
    }

    /** The subject's organizational units, in certificate order. */
    List<String> organizationalUnits();

    /** Validates this identity against its own MSP ({@link Msp#validate(Identity)}). */
    ValidationResult validate();

    /** Checks a principal against this identity's own MSP ({@link Msp#satisfiesPrincipal(Identity, Principal)}). */
    ValidationResult satisfiesPrincipal(Principal principal);

    /** Decodes and checks a principal. */
    default ValidationResult satisfiesPrincipal(MSPPrincipal principal) {
        return satisfiesPrincipal(Principal.parse(principal));
    }
}
