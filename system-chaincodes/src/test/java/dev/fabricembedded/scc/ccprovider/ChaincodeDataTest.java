package dev.fabricembedded.scc.ccprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import java.util.List;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Test;

class ChaincodeDataTest {

    private static final SignaturePolicyEnvelope MEMBERS = SignaturePolicies.signedByAnyMember(List.of("Org2MSP", "Org1MSP"));
    private static final SignaturePolicyEnvelope ADMINS = SignaturePolicies.signedByAnyAdmin(List.of("Org1MSP"));

    @Test
    void canonicalInputEncodesExactlyAsTheGeneratedClass() throws Exception {
        ChaincodeData ours = new ChaincodeData("mycc", "1.0", "escc", "vscc", MEMBERS.toByteString(),
                ByteString.copyFromUtf8("data"), ByteString.copyFromUtf8("id"), ADMINS.toByteString());
        org.hyperledger.fabric.protos.peer.ChaincodeData generated =
                org.hyperledger.fabric.protos.peer.ChaincodeData.newBuilder()
                        .setName("mycc").setVersion("1.0").setEscc("escc").setVscc("vscc")
                        .setPolicy(MEMBERS).setData(ByteString.copyFromUtf8("data"))
                        .setId(ByteString.copyFromUtf8("id")).setInstantiationPolicy(ADMINS).build();

        assertThat(ours.toByteString()).isEqualTo(generated.toByteString());
        assertThat(ChaincodeData.parse(generated.toByteString())).isEqualTo(ours);
        org.hyperledger.fabric.protos.peer.ChaincodeData back =
                org.hyperledger.fabric.protos.peer.ChaincodeData.parseFrom(ours.toByteString());
        assertThat(back).isEqualTo(generated);
    }

    @Test
    void nonCanonicalPolicyBytesArePreservedThroughEncodeAndParse() throws Exception {
        // A valid envelope whose fields are in reverse order, followed by an unknown field 9: a re-serialization of
        // the parsed message would put rule before identities and drop field 9.
        ByteString rule = MEMBERS.getRule().toByteString();
        ByteString identity = MEMBERS.getIdentities(0).toByteString();
        ByteString nonCanonical = ByteString.copyFrom(concat(
                new byte[] {0x1a, (byte) identity.size()}, identity.toByteArray(),
                new byte[] {0x12, (byte) rule.size()}, rule.toByteArray(),
                new byte[] {0x48, 0x01}));
        SignaturePolicyEnvelope reparsed = SignaturePolicyEnvelope.parseFrom(nonCanonical);
        assertThat(reparsed.toByteString()).isNotEqualTo(nonCanonical);

        ChaincodeData cd = new ChaincodeData("mycc", "1.0", "escc", "vscc", nonCanonical,
                ByteString.copyFromUtf8("d"), ByteString.copyFromUtf8("i"), nonCanonical);
        ByteString encoded = cd.toByteString();
        assertThat(encoded.toByteArray()).containsSequence(nonCanonical.toByteArray());
        ChaincodeData parsed = ChaincodeData.parse(encoded);
        assertThat(parsed.policy()).isEqualTo(nonCanonical);
        assertThat(parsed.instantiationPolicy()).isEqualTo(nonCanonical);
        assertThat(parsed.toByteString()).isEqualTo(encoded);
    }

    @Test
    void emptyStringsAreWrittenAndEmptyBytesOmittedAsGoMarshalsTheStruct() throws Exception {
        ChaincodeData cd = new ChaincodeData("a", "1", "", "", null, null, null, null);
        assertThat(cd.toByteString().toByteArray())
                .containsExactly(0x0a, 1, 'a', 0x12, 1, '1', 0x1a, 0, 0x22, 0);
        assertThat(ChaincodeData.parse(cd.toByteString())).isEqualTo(cd);
    }

    @Test
    void unknownFieldsAreSkippedAndWrongWireTypesRejected() throws Exception {
        ByteString withUnknown = ByteString.copyFrom(new byte[] {0x0a, 1, 'x', 0x50, 0x07, 0x12, 1, '2'});
        ChaincodeData cd = ChaincodeData.parse(withUnknown);
        assertThat(cd.name()).isEqualTo("x");
        assertThat(cd.version()).isEqualTo("2");
        assertThatThrownBy(() -> ChaincodeData.parse(ByteString.copyFrom(new byte[] {0x08, 0x01})))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> ChaincodeData.parse(ByteString.copyFrom(new byte[] {0x0a, 0x05, 'x'})))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
