package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;

/**
 * Turns {@code SerializedIdentity} bytes (a creator, an endorser, a signer of a block or config) into an
 * {@link Identity}. The channel's {@link MspManager} is the usual implementation; a single {@link Msp} is one
 * too (it accepts only its own mspid).
 *
 * <p>Implementations are thread-safe.
 */
public interface IdentityDeserializer {

    /**
     * Deserializes an identity.
     *
     * @throws InvalidIdentityException naming the problem (e.g. {@code MSP Org9MSP is unknown})
     */
    Identity deserializeIdentity(ByteString serializedIdentity);

    /** Deserializes an identity from a byte array (copied). */
    default Identity deserializeIdentity(byte[] serializedIdentity) {
        return deserializeIdentity(ByteString.copyFrom(serializedIdentity));
    }

    /**
     * Fabric 1.4's {@code IsWellFormed} hardening: the identity must hold exactly one PEM block of type
     * {@code CERTIFICATE} (or no type) with no trailing bytes, and an ECDSA-signed certificate must carry its
     * signature in canonical DER. Deserialization itself is more lenient (as Fabric's is, to keep validation
     * results identical across peers); callers that accept new identities from the network can add this check.
     */
    ValidationResult isWellFormed(ByteString serializedIdentity);
}
