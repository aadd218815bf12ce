package dev.fabricembedded.orderer.msgprocessor;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.SignedData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * An envelope's signature as policy input (Fabric's {@code Envelope.AsSignedData}): {@code {data = payload bytes,
 * identity = SignatureHeader.creator, signature}}. Stateless.
 */
final class EnvelopeSignedData {

    private EnvelopeSignedData() {
    }

    /**
     * The envelope's signed data.
     *
     * @throws IllegalArgumentException with Fabric's inner text ({@code Missing Header}, an unmarshal error)
     */
    static SignedData of(Envelope envelope) {
        Payload payload;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!payload.hasHeader()) {
            throw new IllegalArgumentException("Missing Header");
        }
        SignatureHeader header;
        try {
            header = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("GetSignatureHeaderFromBytes failed, err " + e.getMessage(), e);
        }
        return new SignedData(envelope.getPayload(), header.getCreator(), envelope.getSignature());
    }
}
