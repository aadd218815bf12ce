package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.testing.Ledgers;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxSimulatorTest {
    @TempDir
    java.nio.file.Path dir;
    private ChannelLedger ledger;

    @BeforeEach
    void open() {
        ledger = Ledgers.small(dir).open();
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private static KVRWSet rwset(final TxReadWriteSet set, final String namespace) throws Exception {
        for (NsReadWriteSet ns : set.getNsRwsetList()) {
            if (ns.getNamespace().equals(namespace)) {
                return KVRWSet.parseFrom(ns.getRwset());
            }
        }
        throw new AssertionError("no namespace " + namespace);
    }

    private static Version version(final long block, final long tx) {
        return Version.newBuilder().setBlockNum(block).setTxNum(tx).build();
    }

    private static List<String> keys(final ResultsIterator<KV> iterator) {
        final List<String> keys = new ArrayList<>();
        iterator.forEachRemaining(kv -> keys.add(kv.getKey()));
        return keys;
    }

    private void seed(final String namespace, final String... keys) {
        Ledgers.commitTx(ledger, "seed-" + ledger.height(), sim -> {
            for (String key : keys) {
                sim.setState(namespace, key, bytes("v-" + key));
            }
        });
    }

    @Test
    void readsReturnCommittedValuesAndRecordTheirVersionsWithoutReadYourWrites() throws Exception {
        seed("cc", "a");
        try (TxSimulator sim = ledger.newTxSimulator("tx1")) {
            assertThat(sim.getState("cc", "a")).isEqualTo(bytes("v-a"));
            sim.setState("cc", "a", bytes("new"));
            assertThat(sim.getState("cc", "a")).isEqualTo(bytes("v-a"));
            assertThat(sim.getState("cc", "absent")).isNull();

            final KVRWSet kv = rwset(sim.getTxSimulationResults(), "cc");
            assertThat(kv.getReadsList()).containsExactly(
                    KVRead.newBuilder().setKey("a").setVersion(version(0, 0)).build(),
                    KVRead.newBuilder().setKey("absent").build());
            assertThat(kv.getWritesList()).containsExactly(
                    KVWrite.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("new")).build());
        }
    }

    @Test
    void aByteStringReadReturnsTheCommittedValueAndRecordsTheSameReadAsGetState() throws Exception {
        seed("cc", "a");
        try (TxSimulator sim = ledger.newTxSimulator("tx1")) {
            sim.setState("cc", "a", bytes("new"));
            assertThat(sim.getStateByteString("cc", "a")).isEqualTo(ByteString.copyFromUtf8("v-a"));
            assertThat(sim.getStateByteString("cc", "absent")).isNull();
            final KVRWSet kv = rwset(sim.getTxSimulationResults(), "cc");
            assertThat(kv.getReadsList()).containsExactly(
                    KVRead.newBuilder().setKey("a").setVersion(version(0, 0)).build(),
                    KVRead.newBuilder().setKey("absent").build());
        }
        try (TxSimulator sim = ledger.newTxSimulator("tx2")) {
            assertThatThrownBy(() -> sim.getStateByteString("", "a")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace");
        }
    }

    @Test
    void namespacesReadsAndWritesAreSortedByUtf8BytesAndTheLastWriteWins() throws Exception {
        try (TxSimulator sim = ledger.newTxSimulator("tx1")) {
            sim.setState("zeta", "k", bytes("1"));
            sim.setState("alpha", "\uD83D\uDE00", bytes("emoji")); // U+1F600 sorts after U+FFFD in UTF-8
            sim.setState("alpha", "\uFFFD", bytes("replacement"));
            sim.setState("alpha", "b", bytes("first"));
            sim.setState("alpha", "b", bytes("second"));
            sim.setState("alpha", "a", new byte[0]);
            sim.deleteState("alpha", "c");

            final TxReadWriteSet set = sim.getTxSimulationResults();
            assertThat(set.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly("alpha", "zeta");
            assertThat(rwset(set, "alpha").getWritesList()).containsExactly(
                    KVWrite.newBuilder().setKey("a").setIsDelete(true).build(),
                    KVWrite.newBuilder().setKey("b").setValue(ByteString.copyFromUtf8("second")).build(),
                    KVWrite.newBuilder().setKey("c").setIsDelete(true).build(),
                    KVWrite.newBuilder().setKey("\uFFFD").setValue(ByteString.copyFromUtf8("replacement")).build(),
                    KVWrite.newBuilder().setKey("\uD83D\uDE00").setValue(ByteString.copyFromUtf8("emoji")).build());
        }
    }

    @Test
    void rangeScansFollowFabricSemanticsAndRecordWhatWasPulled() throws Exception {
        seed("cc", "k1", "k2", "k3", "k4", "k5");
        seed("other", "k0");
        seed("cc", CompositeKey.create("type", "x"));
        try (TxSimulator sim = ledger.newTxSimulator("tx1")) {
            assertThat(keys(sim.getStateRangeScanIterator("cc", "k2", "k4"))).containsExactly("k2", "k3");
            final ResultsIterator<KV> partial = sim.getStateRangeScanIterator("cc", "k3", "");
            assertThat(partial.next().getKey()).isEqualTo("k3");
            partial.close();
            sim.getStateRangeScanIterator("cc", "k9", "");
            assertThat(keys(sim.getStateRangeScanIterator("cc", "", "")))
                    .containsExactly(CompositeKey.create("type", "x"), "k1", "k2", "k3", "k4", "k5");

            final List<RangeQueryInfo> ranges = rwset(sim.getTxSimulationResults(), "cc").getRangeQueriesInfoList();
            assertThat(ranges).hasSize(4);
            assertThat(ranges.get(0)).isEqualTo(RangeQueryInfo.newBuilder().setStartKey("k2").setEndKey("k4")
                    .setItrExhausted(true).setRawReads(QueryReads.newBuilder()
                            .addKvReads(KVRead.newBuilder().setKey("k2").setVersion(version(0, 0)))
                            .addKvReads(KVRead.newBuilder().setKey("k3").setVersion(version(0, 0)))).build());
            // pulled once and abandoned: the end key is the last key returned, not exhausted
            assertThat(ranges.get(1)).isEqualTo(RangeQueryInfo.newBuilder().setStartKey("k3").setEndKey("k3")
                    .setRawReads(QueryReads.newBuilder()
                            .addKvReads(KVRead.newBuilder().setKey("k3").setVersion(version(0, 0)))).build());
            // opened, never pulled: only the start key, no reads at all
            assertThat(ranges.get(2)).isEqualTo(RangeQueryInfo.newBuilder().setStartKey("k9").build());
            assertThat(ranges.get(3).getRawReads().getKvReadsList()).extracting(KVRead::getKey)
                    .containsExactly(CompositeKey.create("type", "x"), "k1", "k2", "k3", "k4", "k5");
        }
    }

    @Test
    void moreThanFiftyRangeResultsAreSummarizedInAMerkleTreeAsFabricDoes() throws Exception {
        final String[] keys = new String[60];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = String.format("key%02d", i);
        }
        seed("cc", keys);
        try (TxSimulator sim = ledger.newTxSimulator("tx1")) {
            assertThat(keys(sim.getStateRangeScanIterator("cc", "", ""))).hasSize(60);
            final RangeQueryInfo range = rwset(sim.getTxSimulationResults(), "cc").getRangeQueriesInfo(0);

            // 51 reads are hashed as soon as there are more than 50, the other 9 at the end: 2 leaves, level 1
            final List<KVRead> reads = new ArrayList<>();
            for (String key : keys) {
                reads.add(KVRead.newBuilder().setKey(key).setVersion(version(0, 0)).build());
            }
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            final byte[] first = sha.digest(QueryReads.newBuilder().addAllKvReads(reads.subList(0, 51)).build()
                    .toByteArray());
            final byte[] second = sha.digest(QueryReads.newBuilder().addAllKvReads(reads.subList(51, 60)).build()
                    .toByteArray());
            assertThat(range.hasRawReads()).isFalse();
            assertThat(range.getReadsMerkleHashes().getMaxDegree()).isEqualTo(50);
            assertThat(range.getReadsMerkleHashes().getMaxLevel()).isEqualTo(1);
            assertThat(range.getReadsMerkleHashes().getMaxLevelHashesList())
                    .containsExactly(ByteString.copyFrom(first), ByteString.copyFrom(second));
        }
    }

    @Test
    void paginationReturnsPagesWithBookmarksAndIsReadOnly() {
        seed("cc", "a", "b", "c", "d", "e");
        try (TxSimulator sim = ledger.newTxSimulator("tx1")) {
            final QueryResultsIterator<KV> page = sim.getStateRangeScanIteratorWithPagination("cc", "", "", 2);
            assertThat(keys(page)).containsExactly("a", "b");
            assertThat(page.bookmarkAndClose()).isEqualTo("c");
            final QueryResultsIterator<KV> last = sim.getStateRangeScanIteratorWithPagination("cc", "d", "", 2);
            assertThat(keys(last)).containsExactly("d", "e");
            assertThat(last.bookmarkAndClose()).isEmpty();
            assertThatThrownBy(() -> sim.setState("cc", "x", bytes("1")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("txid [tx1]: Transaction has already performed a paginated query. Writes are not allowed");
        }
        try (TxSimulator sim = ledger.newTxSimulator("tx2")) {
            sim.setState("cc", "x", bytes("1"));
            assertThatThrownBy(() -> sim.getStateRangeScanIteratorWithPagination("cc", "", "", 2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("txid [tx2]: Paginated queries are supported only in a read-only transaction");
        }
    }

    @Test
    void partialCompositeKeyQueriesFindTheKeysExtendingThePrefix() {
        seed("cc", CompositeKey.create("color", "blue", "1"), CompositeKey.create("color", "blue", "2"),
                CompositeKey.create("color", "red", "1"), CompositeKey.create("colorful", "x"), "color");
        try (QueryExecutor query = ledger.newQueryExecutor()) {
            assertThat(keys(query.getStateByPartialCompositeKey("cc", "color")))
                    .containsExactly(CompositeKey.create("color", "blue", "1"), CompositeKey.create("color", "blue", "2"),
                            CompositeKey.create("color", "red", "1"));
            assertThat(keys(query.getStateByPartialCompositeKey("cc", "color", "blue"))).hasSize(2);
            assertThat(CompositeKey.split(CompositeKey.create("color", "red", "1")))
                    .containsExactly("color", "red", "1");
            assertThatThrownBy(() -> query.getStateByPartialCompositeKey("cc", "bad\u0000type"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
        }
    }

    @Test
    void badKeysValuesAndNamespacesAreRefusedClearlyAndLeaveNoTrace() throws Exception {
        try (TxSimulator sim = ledger.newTxSimulator("tx1")) {
            assertThatThrownBy(() -> sim.setState("cc", "", bytes("v")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("key must not be an empty string");
            assertThatThrownBy(() -> sim.setState("cc", "\u0000notcomposite", bytes("v")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("starts with U+0000, the composite key prefix, but is not a composite key");
            assertThatThrownBy(() -> sim.setState("cc", "\u0000type\uDBFF\uDFFF\u0000", bytes("v")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contains U+10FFFF");
            assertThatThrownBy(() -> sim.setState("cc", "half\uD800", bytes("v")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate at index 4");
            assertThatThrownBy(() -> sim.setState("cc", "big", new byte[64 * 1024 + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("value of key [big] in namespace [cc] is 65537 bytes, larger than the configured"
                            + " maximum of 65536 bytes");
            assertThatThrownBy(() -> sim.setState("", "k", bytes("v")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid namespace: it must not be empty");
            assertThatThrownBy(() -> sim.getState("c\u0000c", "k"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain U+0000");

            sim.setState("cc", "good", new byte[64 * 1024]);
            sim.setState("cc", CompositeKey.create("type", "a"), bytes("v"));
            final KVRWSet kv = rwset(sim.getTxSimulationResults(), "cc");
            assertThat(kv.getWritesList()).extracting(KVWrite::getKey)
                    .containsExactly(CompositeKey.create("type", "a"), "good");
        }
    }

    @Test
    void resultsOnceAndNothingAfterDone() {
        final TxSimulator sim = ledger.newTxSimulator("tx1");
        sim.getTxSimulationResults();
        assertThatThrownBy(sim::getTxSimulationResults).isInstanceOf(IllegalStateException.class)
                .hasMessage("this function should only be called once on a transaction simulator instance");
        final ResultsIterator<KV> open = sim.getStateRangeScanIterator("cc", "", "");
        sim.done();
        sim.done();
        assertThatThrownBy(() -> sim.getState("cc", "k")).isInstanceOf(IllegalStateException.class)
                .hasMessage("this instance should not be used after calling Done()");
        assertThatThrownBy(() -> sim.setState("cc", "k", bytes("v"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(open::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void metadataIsStoredKeptByValueWritesAndIgnoredForAbsentKeys() {
        Ledgers.commitTx(ledger, "tx1", sim -> {
            sim.setState("cc", "k", bytes("v1"));
            sim.setStateMetadata("cc", "k", Map.of("VALIDATION_PARAMETER", bytes("policy"), "another", bytes("x")));
            sim.setStateMetadata("cc", "absent", Map.of("m", bytes("ignored")));
        });
        Ledgers.commitTx(ledger, "tx2", sim -> sim.setState("cc", "k", bytes("v2")));
        try (QueryExecutor query = ledger.newQueryExecutor()) {
            assertThat(query.getState("cc", "k")).isEqualTo(bytes("v2"));
            assertThat(query.getStateMetadata("cc", "k")).containsOnlyKeys("VALIDATION_PARAMETER", "another");
            assertThat(query.getStateMetadata("cc", "k").get("VALIDATION_PARAMETER")).isEqualTo(bytes("policy"));
            assertThat(query.getStateMetadata("cc", "absent")).isEmpty();
            assertThat(query.getState("cc", "absent")).isNull();
        }
        Ledgers.commitTx(ledger, "tx3", sim -> sim.deleteStateMetadata("cc", "k"));
        try (QueryExecutor query = ledger.newQueryExecutor()) {
            assertThat(query.getStateMetadata("cc", "k")).isEmpty();
            assertThat(query.getState("cc", "k")).isEqualTo(bytes("v2"));
        }
    }

    @Test
    void aCommitWaitsForOpenSimulatorsAndProceedsWhenTheyAreDone() throws Exception {
        final TxSimulator open = ledger.newTxSimulator("reader");
        open.getState("cc", "k");
        final var block = Ledgers.nextBlock(ledger, List.of(Ledgers.simulate(ledger, "writer",
                sim -> sim.setState("cc", "k", bytes("v")))));
        final Thread committer = new Thread(() -> ledger.commit(block), "test-committer");
        committer.start();
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (committer.getState() != Thread.State.TIMED_WAITING && committer.getState() != Thread.State.WAITING
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(committer.getState()).isIn(Thread.State.TIMED_WAITING, Thread.State.WAITING);
        assertThat(ledger.height()).isZero();
        // the simulator still sees the state as of its start
        assertThat(open.getState("cc", "k")).isNull();

        open.done();
        committer.join(20_000);
        assertThat(committer.isAlive()).isFalse();
        assertThat(ledger.height()).isEqualTo(1);
    }
}
