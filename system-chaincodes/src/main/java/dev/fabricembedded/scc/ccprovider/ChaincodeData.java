package dev.fabricembedded.scc.ccprovider;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The definition of an instantiated chaincode as LSCC stores it under {@code lscc/<name>} (Fabric's
 * {@code ccprovider.ChaincodeData}, §2.5 of the reference).
 *
 * <p>Why not fabric-protos' generated {@code ChaincodeData}: that class declares {@code policy} and
 * {@code instantiation_policy} as embedded {@code SignaturePolicyEnvelope} messages, where Fabric 1.4 keeps them as
 * raw bytes. Parsing a client-supplied policy and re-serializing it could change its bytes (field order, default
 * values, unknown fields), and these bytes are hashed, endorsed and compared across peers. This record therefore
 * keeps every bytes field exactly as received and encodes itself the way Fabric's Go struct is marshaled: fields in
 * number order 1..8; the string fields (1-4, declared without the {@code proto3} tag in Go) are always written, even
 * when empty; the bytes fields (5-8, {@code proto3}) only when non-empty. For every definition LSCC writes (all fields
 * non-empty) the bytes are the same as the generated class's.
 *
 * @param name                the chaincode name
 * @param version             the chaincode version
 * @param escc                the endorsement plugin name
 * @param vscc                the validation plugin name
 * @param policy              the endorsement policy: serialized {@code SignaturePolicyEnvelope} bytes, untouched
 * @param data                package-specific hashes: serialized {@code CDSData} or {@code SignedCDSData}
 * @param id                  the package fingerprint
 * @param instantiationPolicy serialized {@code SignaturePolicyEnvelope} bytes, untouched
 */
public record ChaincodeData(String name, String version, String escc, String vscc, ByteString policy,
                            ByteString data, ByteString id, ByteString instantiationPolicy) {

    private static final int NAME = 1;
    private static final int VERSION = 2;
    private static final int ESCC = 3;
    private static final int VSCC = 4;
    private static final int POLICY = 5;
    private static final int DATA = 6;
    private static final int ID = 7;
    private static final int INSTANTIATION_POLICY = 8;

    /** Null components are taken as empty. */
    public ChaincodeData {
        name = Objects.requireNonNullElse(name, "");
        version = Objects.requireNonNullElse(version, "");
        escc = Objects.requireNonNullElse(escc, "");
        vscc = Objects.requireNonNullElse(vscc, "");
        policy = Objects.requireNonNullElse(policy, ByteString.EMPTY);
        data = Objects.requireNonNullElse(data, ByteString.EMPTY);
        id = Objects.requireNonNullElse(id, ByteString.EMPTY);
        instantiationPolicy = Objects.requireNonNullElse(instantiationPolicy, ByteString.EMPTY);
    }

    /**
     * Parses stored bytes, keeping the bytes fields exactly as they are. Unknown fields are skipped; a repeated
     * field keeps its last value (protobuf semantics).
     *
     * @throws InvalidProtocolBufferException when the bytes are not a well-formed message of this shape
     */
    public static ChaincodeData parse(ByteString bytes) throws InvalidProtocolBufferException {
        String name = "";
        String version = "";
        String escc = "";
        String vscc = "";
        ByteString policy = ByteString.EMPTY;
        ByteString data = ByteString.EMPTY;
        ByteString id = ByteString.EMPTY;
        ByteString instantiationPolicy = ByteString.EMPTY;
        CodedInputStream in = bytes.newCodedInput();
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field < NAME || field > INSTANTIATION_POLICY) {
                    in.skipField(tag);
                    continue;
                }
                if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw new InvalidProtocolBufferException(
                            "ChaincodeData field " + field + " has wire type " + WireFormat.getTagWireType(tag)
                                    + ", expected length-delimited");
                }
                ByteString value = in.readBytes();
                switch (field) {
                    case NAME -> name = value.toStringUtf8();
                    case VERSION -> version = value.toStringUtf8();
                    case ESCC -> escc = value.toStringUtf8();
                    case VSCC -> vscc = value.toStringUtf8();
                    case POLICY -> policy = value;
                    case DATA -> data = value;
                    case ID -> id = value;
                    default -> instantiationPolicy = value;
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        return new ChaincodeData(name, version, escc, vscc, policy, data, id, instantiationPolicy);
    }

    /** The serialized form (see the type's documentation for the exact encoding). */
    public ByteString toByteString() {
        byte[] nameBytes = name.getBytes(UTF_8);
        byte[] versionBytes = version.getBytes(UTF_8);
        byte[] esccBytes = escc.getBytes(UTF_8);
        byte[] vsccBytes = vscc.getBytes(UTF_8);
        int size = CodedOutputStream.computeByteArraySize(NAME, nameBytes)
                + CodedOutputStream.computeByteArraySize(VERSION, versionBytes)
                + CodedOutputStream.computeByteArraySize(ESCC, esccBytes)
                + CodedOutputStream.computeByteArraySize(VSCC, vsccBytes)
                + bytesFieldSize(POLICY, policy) + bytesFieldSize(DATA, data) + bytesFieldSize(ID, id)
                + bytesFieldSize(INSTANTIATION_POLICY, instantiationPolicy);
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            cos.writeByteArray(NAME, nameBytes);
            cos.writeByteArray(VERSION, versionBytes);
            cos.writeByteArray(ESCC, esccBytes);
            cos.writeByteArray(VSCC, vsccBytes);
            writeBytesField(cos, POLICY, policy);
            writeBytesField(cos, DATA, data);
            writeBytesField(cos, ID, id);
            writeBytesField(cos, INSTANTIATION_POLICY, instantiationPolicy);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("encoding into an exactly sized array cannot fail", e);
        }
        return ByteString.copyFrom(out);
    }

    /** A copy with the instance fields LSCC sets at deploy/upgrade. */
    public ChaincodeData withInstance(String newEscc, String newVscc, ByteString newPolicy) {
        return new ChaincodeData(name, version, newEscc, newVscc, newPolicy, data, id, instantiationPolicy);
    }

    /** A copy with another instantiation policy. */
    public ChaincodeData withInstantiationPolicy(ByteString newInstantiationPolicy) {
        return new ChaincodeData(name, version, escc, vscc, policy, data, id, newInstantiationPolicy);
    }

    private static int bytesFieldSize(int field, ByteString value) {
        return value.isEmpty() ? 0 : CodedOutputStream.computeBytesSize(field, value);
    }

    private static void writeBytesField(CodedOutputStream cos, int field, ByteString value) throws IOException {
        if (!value.isEmpty()) {
            cos.writeBytes(field, value);
        }
    }

    @Override
    public String toString() {
        return "ChaincodeData{name=" + name + ", version=" + version + ", escc=" + escc + ", vscc=" + vscc
                + ", policy=" + policy.size() + "B, data=" + data.size() + "B, id=" + hex(id)
                + ", instantiationPolicy=" + instantiationPolicy.size() + "B}";
    }

    static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
