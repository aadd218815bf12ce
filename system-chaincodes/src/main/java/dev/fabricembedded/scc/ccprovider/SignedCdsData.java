package dev.fabricembedded.scc.ccprovider;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Objects;

/**
 * Fabric 1.4's {@code SignedCDSData{hash=1, metadatahash=2, signaturehash=3}}, the {@code ChaincodeData.data} of a
 * signed package. fabric-protos 0.3.7 has no such message (it is a Go struct in {@code ccprovider}), so this is the
 * minimal codec with Fabric's field numbers: fields in number order, each written when non-empty.
 *
 * @param codeHash      {@code H(code_package)}
 * @param metadataHash  {@code H(name ‖ version)}
 * @param signatureHash {@code H(instantiation_policy ‖ endorser_1 ‖ … ‖ endorser_n)}
 */
record SignedCdsData(ByteString codeHash, ByteString metadataHash, ByteString signatureHash) {

    SignedCdsData {
        codeHash = Objects.requireNonNullElse(codeHash, ByteString.EMPTY);
        metadataHash = Objects.requireNonNullElse(metadataHash, ByteString.EMPTY);
        signatureHash = Objects.requireNonNullElse(signatureHash, ByteString.EMPTY);
    }

    static SignedCdsData parse(ByteString bytes) throws InvalidProtocolBufferException {
        ByteString[] fields = {ByteString.EMPTY, ByteString.EMPTY, ByteString.EMPTY};
        CodedInputStream in = bytes.newCodedInput();
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field < 1 || field > 3) {
                    in.skipField(tag);
                } else if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw new InvalidProtocolBufferException("SignedCDSData field " + field + " has wire type "
                            + WireFormat.getTagWireType(tag) + ", expected length-delimited");
                } else {
                    fields[field - 1] = in.readBytes();
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        return new SignedCdsData(fields[0], fields[1], fields[2]);
    }

    ByteString toByteString() {
        ByteString.Output out = ByteString.newOutput();
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            write(cos, 1, codeHash);
            write(cos, 2, metadataHash);
            write(cos, 3, signatureHash);
            cos.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteString();
    }

    private static void write(CodedOutputStream cos, int field, ByteString value) throws IOException {
        if (!value.isEmpty()) {
            cos.writeBytes(field, value);
        }
    }
}
