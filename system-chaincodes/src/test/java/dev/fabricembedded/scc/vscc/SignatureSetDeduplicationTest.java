package dev.fabricembedded.scc.vscc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.SignedData;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.junit.jupiter.api.Test;

/**
 * {@link DefaultValidation#deduplicatedSignatureSet}: Fabric's {@code deduplicateIdentity} (one entry per
 * {@code mspid + id_bytes}, first one wins, order kept) on both of its paths, the pairwise comparison for up to
 * {@link DefaultValidation#PAIRWISE_DEDUPLICATION_LIMIT} endorsements and the set above it.
 */
class SignatureSetDeduplicationTest {

    private static final ByteString PRP = ByteString.copyFromUtf8("proposal response payload");

    @Test
    void theFirstEndorsementOfEachIdentityIsKeptInOrderOnBothPaths() throws Exception {
        for (int count : List.of(3, DefaultValidation.PAIRWISE_DEDUPLICATION_LIMIT,
                DefaultValidation.PAIRWISE_DEDUPLICATION_LIMIT + 1, 3 * DefaultValidation.PAIRWISE_DEDUPLICATION_LIMIT)) {
            List<Endorsement> endorsements = new ArrayList<>();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                // every third endorsement repeats the identity of the one before it (same bytes, new copy)
                int identity = i % 3 == 2 ? i - 1 : i;
                endorsements.add(endorsement(identity("Org1MSP", "cert-" + identity), i));
                if (identity == i) {
                    expected.add(i);
                }
            }

            List<SignedData> set = DefaultValidation.deduplicatedSignatureSet(payload(endorsements));

            assertThat(set).as("%d endorsements", count).extracting(data -> signatureIndex(data.signature()))
                    .containsExactlyElementsOf(expected);
            for (SignedData data : set) {
                Endorsement source = endorsements.get(signatureIndex(data.signature()));
                assertThat(data.identity()).isEqualTo(source.getEndorser());
                assertThat(data.data()).isEqualTo(PRP.concat(source.getEndorser()));
            }
        }
    }

    @Test
    void theKeyIsTheConcatenationOfMspIdAndIdBytesAsInFabric() throws Exception {
        ByteString a = identity("Org1MSP", "x-cert");
        ByteString sameConcatenation = identity("Org1", "MSPx-cert");
        ByteString otherMsp = identity("Org2MSP", "x-cert");
        ByteString otherId = identity("Org1MSP", "x-cerT");
        for (int padding : List.of(0, DefaultValidation.PAIRWISE_DEDUPLICATION_LIMIT)) {
            List<Endorsement> endorsements = new ArrayList<>();
            for (ByteString identity : List.of(a, sameConcatenation, otherMsp, otherId)) {
                endorsements.add(endorsement(identity, endorsements.size()));
            }
            for (int i = 0; i < padding; i++) {
                endorsements.add(endorsement(identity("Org3MSP", "padding-" + i), endorsements.size()));
            }

            List<SignedData> set = DefaultValidation.deduplicatedSignatureSet(payload(endorsements));

            assertThat(set).extracting(data -> signatureIndex(data.signature())).as("padding %d", padding)
                    .startsWith(0, 2, 3).doesNotContain(1).hasSize(3 + padding);
        }
    }

    @Test
    void anUnreadableEndorserFailsOnBothPaths() {
        for (int count : List.of(2, DefaultValidation.PAIRWISE_DEDUPLICATION_LIMIT + 2)) {
            List<Endorsement> endorsements = new ArrayList<>();
            for (int i = 0; i < count - 1; i++) {
                endorsements.add(endorsement(identity("Org1MSP", "cert-" + i), i));
            }
            endorsements.add(endorsement(ByteString.copyFrom(new byte[] {(byte) 0xff}), count - 1));

            assertThatThrownBy(() -> DefaultValidation.deduplicatedSignatureSet(payload(endorsements)))
                    .isInstanceOf(InvalidProtocolBufferException.class);
        }
    }

    @Test
    void anMspIdThatIsNotUtf8DoesNotParse() {
        // the pairwise path compares the MSP id's raw bytes: it relies on the proto3 parse refusing invalid UTF-8
        // field 1 (mspid): 4 bytes with a truncated two-byte sequence; field 2 (id_bytes): "cert"
        ByteString invalid = ByteString.copyFrom(new byte[] {0x0a, 4, 'O', (byte) 0xc3, 'r', 'g', 0x12, 4, 'c', 'e',
                'r', 't'});
        ByteString valid = ByteString.copyFrom(new byte[] {0x0a, 4, 'O', 'r', 'g', '1', 0x12, 4, 'c', 'e', 'r', 't'});

        assertThatThrownBy(() -> SerializedIdentity.parseFrom(invalid))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> DefaultValidation.deduplicatedSignatureSet(payload(List.of(
                endorsement(valid, 0), endorsement(invalid, 1))))).isInstanceOf(InvalidProtocolBufferException.class);
    }

    private static ByteString identity(String mspId, String cert) {
        return SerializedIdentity.newBuilder().setMspid(mspId).setIdBytes(ByteString.copyFromUtf8(cert)).build()
                .toByteString();
    }

    private static Endorsement endorsement(ByteString endorser, int index) {
        return Endorsement.newBuilder().setEndorser(ByteString.copyFrom(endorser.toByteArray()))
                .setSignature(ByteString.copyFromUtf8("signature-" + index)).build();
    }

    private static int signatureIndex(ByteString signature) {
        return Integer.parseInt(signature.toStringUtf8().substring("signature-".length()));
    }

    private static ChaincodeActionPayload payload(List<Endorsement> endorsements) {
        return ChaincodeActionPayload.newBuilder().setAction(ChaincodeEndorsedAction.newBuilder()
                .setProposalResponsePayload(PRP).addAllEndorsements(endorsements)).build();
    }
}
