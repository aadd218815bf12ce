package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.nio.charset.StandardCharsets;

/** Small helpers shared by the msp tests. */
final class Fixtures {

    private Fixtures() {
    }

    static ByteString serialized(String mspId, ByteString idBytes) {
        return SerializedIdentity.newBuilder().setMspid(mspId).setIdBytes(idBytes).build().toByteString();
    }

    static ByteString serialized(String mspId, String idBytes) {
        return serialized(mspId, ByteString.copyFrom(idBytes, StandardCharsets.US_ASCII));
    }

    static ByteString serialized(String mspId, Enrollment enrollment) {
        return serialized(mspId, enrollment.certificatePem());
    }
}
