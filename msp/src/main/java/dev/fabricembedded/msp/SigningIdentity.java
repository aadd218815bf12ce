package dev.fabricembedded.msp;

/**
 * An identity that also holds its private key: a peer's, orderer's or client's own identity.
 *
 * <p>{@link #sign(byte[])} produces Fabric's signature form (ECDSA over SHA-256, low-S, DER) that any Fabric
 * component verifies; {@link #serialize()} gives the {@code SerializedIdentity} bytes to put in headers as
 * creator or endorser. Thread-safe.
 */
public interface SigningIdentity extends Identity {

    /** {@code Sign(message)}: signs {@code H(message)}. */
    byte[] sign(byte[] message);
}
