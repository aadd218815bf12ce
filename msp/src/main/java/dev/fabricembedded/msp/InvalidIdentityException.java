package dev.fabricembedded.msp;

import java.util.Objects;

/**
 * A serialized identity could not be turned into an {@link Identity}: the bytes are not a
 * {@code SerializedIdentity}, name an unknown MSP, hold no PEM certificate, or a certificate that does not chain
 * to the MSP's roots.
 *
 * <p>Deserialization produces an object or nothing, so its failure is an exception; it carries a
 * {@link Reason} so callers on the validation path can map it to a status without parsing text. Policy
 * evaluation catches it and drops the signature, exactly as Fabric does. Messages are Fabric's (e.g.
 * {@code MSP Org9MSP is unknown}, {@code could not decode the PEM structure}).
 */
public final class InvalidIdentityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why deserialization failed. */
    public enum Reason {
        /** The bytes are not a {@code SerializedIdentity} protobuf. */
        MALFORMED_SERIALIZED_IDENTITY,
        /** No MSP with the identity's mspid is known to this deserializer. */
        UNKNOWN_MSP,
        /** The identity was given to an MSP other than the one it names. */
        MSP_MISMATCH,
        /** {@code id_bytes} holds no PEM block. */
        BAD_PEM,
        /** The PEM block is not a parseable X.509 certificate. */
        BAD_CERTIFICATE,
        /** The certificate's public key cannot be imported (not ECDSA on a known curve). */
        UNSUPPORTED_KEY,
        /** The certificate does not chain to the MSP's roots, which Fabric needs to sanitise it. */
        UNTRUSTED_CERTIFICATE
    }

    private final Reason reason;

    public InvalidIdentityException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public InvalidIdentityException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The category of the failure. */
    public Reason reason() {
        return reason;
    }
}
