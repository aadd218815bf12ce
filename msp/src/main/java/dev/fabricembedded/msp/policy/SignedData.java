package dev.fabricembedded.msp.policy;

import com.google.protobuf.ByteString;

import java.util.Objects;

/**
 * One signature to evaluate against a policy (Fabric's {@code common.SignedData}): the signed bytes, the signer's
 * {@code SerializedIdentity} bytes and the signature. For an endorsement the data is
 * {@code proposal_response_payload ‖ endorser}; for a transaction or proposal it is the payload or proposal bytes.
 *
 * @param data      the bytes that were signed
 * @param identity  the signer's {@code SerializedIdentity} bytes
 * @param signature the DER ECDSA signature
 */
public record SignedData(ByteString data, ByteString identity, ByteString signature) {

    public SignedData {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signature, "signature");
    }

    /** From byte arrays (copied). */
    public static SignedData of(byte[] data, byte[] identity, byte[] signature) {
        return new SignedData(ByteString.copyFrom(data), ByteString.copyFrom(identity), ByteString.copyFrom(signature));
    }
}
