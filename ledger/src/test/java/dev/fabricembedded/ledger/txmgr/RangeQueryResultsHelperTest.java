package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangeQueryResultsHelperTest {

    private static List<KVRead> reads(final int count) {
        final List<KVRead> reads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reads.add(KVRead.newBuilder().setKey("key" + i)
                    .setVersion(Version.newBuilder().setBlockNum(1).setTxNum(i)).build());
        }
        return reads;
    }

    private static byte[] sha(final byte[]... parts) throws Exception {
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    private static byte[] leaf(final List<KVRead> reads) throws Exception {
        return sha(QueryReads.newBuilder().addAllKvReads(reads).build().toByteArray());
    }

    @Test
    void fewResultsStayRawReads() {
        final RangeQueryResultsHelper helper = new RangeQueryResultsHelper(true, 2);
        reads(2).forEach(helper::addResult);
        final RangeQueryResultsHelper.Result result = helper.done();
        assertThat(result.rawReads()).isEqualTo(reads(2));
        assertThat(result.summary()).isNull();
    }

    @Test
    void manyResultsBuildTheTreeLevelByLevelAsFabricDoes() throws Exception {
        // degree 2: every 3 reads make a leaf; 3 leaves overflow level 1 into one node of level 2
        final List<KVRead> reads = reads(7);
        final RangeQueryResultsHelper helper = new RangeQueryResultsHelper(true, 2);
        reads.forEach(helper::addResult);
        final RangeQueryResultsHelper.Result result = helper.done();

        final byte[] l1 = leaf(reads.subList(0, 3));
        final byte[] l2 = leaf(reads.subList(3, 6));
        final byte[] l3 = leaf(reads.subList(6, 7));
        assertThat(result.rawReads()).isEmpty();
        assertThat(result.summary().getMaxDegree()).isEqualTo(2);
        assertThat(result.summary().getMaxLevel()).isEqualTo(2);
        assertThat(result.summary().getMaxLevelHashesList()).containsExactly(ByteString.copyFrom(sha(l1, l2, l3)));
    }

    @Test
    void leftoverLowerLevelsAreFoldedIntoTheTopLevel() throws Exception {
        // degree 2, 13 reads: leaves L1..L4 of 3 reads and L5 of 1; L1..L3 became node N1 of level 2 when L3 was
        // added; at the end level 1 holds L4, L5, which are combined and moved up beside N1
        final List<KVRead> reads = reads(13);
        final RangeQueryResultsHelper helper = new RangeQueryResultsHelper(true, 2);
        reads.forEach(helper::addResult);
        final RangeQueryResultsHelper.Result result = helper.done();

        final byte[] n1 = sha(leaf(reads.subList(0, 3)), leaf(reads.subList(3, 6)), leaf(reads.subList(6, 9)));
        final byte[] n2 = sha(leaf(reads.subList(9, 12)), leaf(reads.subList(12, 13)));
        assertThat(result.summary().getMaxLevel()).isEqualTo(2);
        assertThat(result.summary().getMaxLevelHashesList())
                .containsExactly(ByteString.copyFrom(n1), ByteString.copyFrom(n2));
    }

    @Test
    void theDegreeMustBeAtLeastTwo() {
        assertThatThrownBy(() -> new RangeQueryResultsHelper(true, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("should not be less than 2");
    }
}
