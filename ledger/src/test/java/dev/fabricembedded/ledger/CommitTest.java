package dev.fabricembedded.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.ledger.block.TransactionLocation;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.testing.TestBlocks;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.DUPLICATE_TXID;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.MVCC_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.PHANTOM_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

class CommitTest {
    @TempDir
    Path dir;
    private ChannelLedger ledger;

    @BeforeEach
    void open() {
        ledger = Ledgers.small(dir).open();
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private ByteString tx(final String txId, final java.util.function.Consumer<TxSimulator> simulation) {
        return Ledgers.simulate(ledger, txId, simulation);
    }

    private byte[] get(final String namespace, final String key) {
        try (QueryExecutor query = ledger.newQueryExecutor()) {
            return query.getState(namespace, key);
        }
    }

    private static List<TxValidationCode> codes(final CommitResult result, final int count) {
        final List<TxValidationCode> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            codes.add(result.code(i));
        }
        return codes;
    }

    @Test
    void validWritesAreAppliedAtTheirBlockAndTransactionVersion() {
        final ByteString first = tx("t1", sim -> sim.setState("cc", "a", bytes("1")));
        final ByteString second = tx("t2", sim -> sim.setState("cc", "b", bytes("2")));
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(first, second)));

        assertThat(codes(result, 2)).containsExactly(VALID, VALID);
        assertThat(result.validCount()).isEqualTo(2);
        assertThat(ledger.height()).isEqualTo(1);
        assertThat(get("cc", "a")).isEqualTo(bytes("1"));
        assertThat(((KvLedger) ledger).worldState().get("cc", "b").version())
                .isEqualTo(new dev.fabricembedded.ledger.state.Height(0, 1));
        assertThat(ledger.containsTxId("t2")).isTrue();
    }

    @Test
    void theStoredBlockCarriesTheFinalFlagsInFiveMetadataSlots() {
        Ledgers.commitTx(ledger, "seed", sim -> sim.setState("cc", "a", bytes("1")));
        final ByteString stale = tx("stale", sim -> {
            sim.getState("cc", "a");
            sim.setState("cc", "a", bytes("2"));
        });
        final ByteString winner = tx("winner", sim -> {
            sim.getState("cc", "a");
            sim.setState("cc", "a", bytes("3"));
        });
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(winner, stale)));

        final Block stored = ledger.blockStore().blockByNumber(1).orElseThrow();
        assertThat(stored).isEqualTo(result.block());
        assertThat(stored.getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(stored.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).toByteArray())
                .containsExactly(VALID.getNumber(), MVCC_READ_CONFLICT.getNumber());
        assertThat(ledger.transactionById("stale").orElseThrow().validationCode()).isEqualTo(MVCC_READ_CONFLICT);
        assertThat(ledger.blockStore().transactionLocation("winner"))
                .contains(new TransactionLocation(1, 0, VALID));
        assertThat(get("cc", "a")).isEqualTo(bytes("3"));
    }

    @Test
    void aReadOfAKeyChangedSinceSimulationIsAnMvccConflict() {
        Ledgers.commitTx(ledger, "seed", sim -> sim.setState("cc", "a", bytes("1")));
        final ByteString reader = tx("reader", sim -> {
            sim.getState("cc", "a");
            sim.setState("cc", "b", bytes("from-reader"));
        });
        Ledgers.commitTx(ledger, "changer", sim -> sim.setState("cc", "a", bytes("2")));

        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(reader)));
        assertThat(result.code(0)).isEqualTo(MVCC_READ_CONFLICT);
        assertThat(get("cc", "b")).isNull();
    }

    @Test
    void aReadOfAnAbsentKeyConflictsOnceTheKeyExists() {
        final ByteString first = tx("first", sim -> {
            sim.getState("cc", "new");
            sim.setState("cc", "new", bytes("1"));
        });
        final ByteString second = tx("second", sim -> {
            sim.getState("cc", "new");
            sim.setState("cc", "new", bytes("2"));
        });
        final ByteString unrelated = tx("unrelated", sim -> {
            sim.getState("cc", "other");
            sim.setState("cc", "other", bytes("x"));
        });
        // second reads a key first writes earlier in the same block: conflict, even though it was absent
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(first, second, unrelated)));
        assertThat(codes(result, 3)).containsExactly(VALID, MVCC_READ_CONFLICT, VALID);
        assertThat(get("cc", "new")).isEqualTo(bytes("1"));
    }

    @Test
    void aKeyAppearingInAScannedRangeIsAPhantomRead() {
        Ledgers.commitTx(ledger, "seed", sim -> {
            sim.setState("cc", "k1", bytes("1"));
            sim.setState("cc", "k3", bytes("3"));
        });
        final ByteString inserter = tx("inserter", sim -> sim.setState("cc", "k2", bytes("2")));
        final ByteString scanner = tx("scanner", sim -> {
            sim.getStateRangeScanIterator("cc", "k1", "k9").forEachRemaining(kv -> { });
            sim.setState("cc", "summary", bytes("2 keys"));
        });
        final ByteString outside = tx("outside", sim -> {
            sim.getStateRangeScanIterator("cc", "k4", "k9").forEachRemaining(kv -> { });
            sim.setState("cc", "k5", bytes("5"));
        });
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(inserter, scanner, outside)));
        assertThat(codes(result, 3)).containsExactly(VALID, PHANTOM_READ_CONFLICT, VALID);
        assertThat(get("cc", "summary")).isNull();
    }

    @Test
    void aScanStoppedEarlyIncludesItsLastKeyButNotWhatFollows() {
        Ledgers.commitTx(ledger, "seed", sim -> {
            sim.setState("cc", "k1", bytes("1"));
            sim.setState("cc", "k2", bytes("2"));
            sim.setState("cc", "k4", bytes("4"));
        });
        final ByteString stoppedAtK2 = tx("stopped", sim -> {
            final ResultsIterator<KV> scan = sim.getStateRangeScanIterator("cc", "k1", "");
            scan.next();
            scan.next();
            sim.setState("cc", "x", bytes("x"));
        });
        final ByteString changesK4 = tx("k4", sim -> sim.setState("cc", "k4", bytes("44")));
        final ByteString changesK2 = tx("k2", sim -> sim.setState("cc", "k2", bytes("22")));
        final ByteString stoppedAgain = tx("stopped-again", sim -> {
            final ResultsIterator<KV> scan = sim.getStateRangeScanIterator("cc", "k1", "");
            scan.next();
            scan.next();
            sim.setState("cc", "y", bytes("y"));
        });
        // k4 lies after the recorded end key k2: no phantom; k2 itself (inclusive end) changed: phantom
        final CommitResult result = ledger.commit(
                Ledgers.nextBlock(ledger, List.of(changesK4, stoppedAtK2, changesK2, stoppedAgain)));
        assertThat(codes(result, 4)).containsExactly(VALID, VALID, VALID, PHANTOM_READ_CONFLICT);
    }

    @Test
    void phantomsAreFoundThroughMerkleSummariesToo() {
        Ledgers.commitTx(ledger, "seed", sim -> {
            for (int i = 0; i < 120; i++) {
                sim.setState("cc", String.format("key%03d", i), bytes("v"));
            }
        });
        final ByteString scanAll = tx("scan-all", sim -> {
            sim.getStateRangeScanIterator("cc", "", "").forEachRemaining(kv -> { });
            sim.setState("other", "count", bytes("120"));
        });
        final ByteString scanAgain = tx("scan-again", sim -> {
            sim.getStateRangeScanIterator("cc", "", "").forEachRemaining(kv -> { });
            sim.setState("other", "count2", bytes("120"));
        });
        final ByteString deleter = tx("deleter", sim -> sim.deleteState("cc", "key077"));
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(scanAll, deleter, scanAgain)));
        assertThat(codes(result, 3)).containsExactly(VALID, VALID, PHANTOM_READ_CONFLICT);
        assertThat(get("cc", "key077")).isNull();
    }

    @Test
    void transactionsAlreadyMarkedInvalidKeepTheirCodeAndMissingOrUnvalidatedFlagsAreChecked() {
        final ByteString rejected = tx("rejected", sim -> sim.setState("cc", "a", bytes("no")));
        final ByteString unvalidated = tx("unvalidated", sim -> sim.setState("cc", "b", bytes("yes")));
        final ByteString beyondFilter = tx("beyond", sim -> sim.setState("cc", "c", bytes("yes")));
        final byte[] filter = {(byte) ENDORSEMENT_POLICY_FAILURE.getNumber(), (byte) TxValidationCode.NOT_VALIDATED_VALUE};
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(rejected, unvalidated, beyondFilter),
                filter));

        assertThat(codes(result, 3)).containsExactly(ENDORSEMENT_POLICY_FAILURE, VALID, VALID);
        assertThat(get("cc", "a")).isNull();
        assertThat(get("cc", "b")).isEqualTo(bytes("yes"));
        // an invalid transaction's id is indexed too: it cannot be replayed
        assertThat(ledger.containsTxId("rejected")).isTrue();
    }

    @Test
    void duplicateTransactionIdsAgainstTheIndexAndWithinTheBlockAreRefused() {
        final ByteString original = tx("dup", sim -> sim.setState("cc", "a", bytes("1")));
        ledger.commit(Ledgers.nextBlock(ledger, List.of(original)));
        final ByteString replay = tx("dup", sim -> sim.setState("cc", "a", bytes("replayed")));
        final ByteString twiceA = tx("twice", sim -> sim.setState("cc", "b", bytes("first")));
        final ByteString twiceB = tx("twice", sim -> sim.setState("cc", "c", bytes("second")));
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger, List.of(replay, twiceA, twiceB)));

        assertThat(codes(result, 3)).containsExactly(DUPLICATE_TXID, VALID, DUPLICATE_TXID);
        assertThat(get("cc", "a")).isEqualTo(bytes("1"));
        assertThat(get("cc", "c")).isNull();
        assertThat(ledger.blockStore().transactionLocation("twice")).contains(new TransactionLocation(1, 1, VALID));
    }

    @Test
    void unreadableTransactionsGetFabricsCodesInsteadOfFailingTheBlock() {
        final ByteString garbageRwset = TestBlocks.endorserTx("garbage-rwset",
                ByteString.copyFrom(new byte[]{(byte) 0xFF, (byte) 0xFF, 0x01}), 1);
        final ByteString notAnEnvelope = ByteString.copyFrom(new byte[]{0x0A, (byte) 0xFF});
        final ByteString badPayload = Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[]{0x0A, 0x05, 0x01})).build().toByteString();
        final ByteString noAction = TestBlocks.envelope("no-action", HeaderType.ENDORSER_TRANSACTION,
                Transaction.getDefaultInstance().toByteString(), 1);
        final ByteString config = TestBlocks.envelope("config", HeaderType.CONFIG, ByteString.copyFromUtf8("cfg"), 1);
        final ByteString good = tx("good", sim -> sim.setState("cc", "a", bytes("1")));
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger,
                List.of(garbageRwset, notAnEnvelope, badPayload, noAction, config, good)));

        assertThat(codes(result, 6)).containsExactly(TxValidationCode.INVALID_OTHER_REASON,
                TxValidationCode.INVALID_OTHER_REASON, TxValidationCode.BAD_PAYLOAD, TxValidationCode.NIL_TXACTION,
                VALID, VALID);
        assertThat(get("cc", "a")).isEqualTo(bytes("1"));
    }

    @Test
    void aWriteTheStateCannotHoldMakesItsTransactionInvalidWriteset() {
        final KVRWSet tooBig = KVRWSet.newBuilder().addWrites(KVWrite.newBuilder().setKey("big")
                .setValue(ByteString.copyFrom(new byte[64 * 1024 + 1]))).build();
        final TxReadWriteSet rwset = TxReadWriteSet.newBuilder()
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace("cc").setRwset(tooBig.toByteString())).build();
        final ByteString other = tx("other", sim -> sim.setState("cc", "small", bytes("1")));
        final CommitResult result = ledger.commit(Ledgers.nextBlock(ledger,
                List.of(TestBlocks.endorserTx("big", rwset), other)));

        assertThat(codes(result, 2)).containsExactly(TxValidationCode.INVALID_WRITESET, VALID);
        assertThat(get("cc", "big")).isNull();
    }

    @Test
    void blocksOutOfOrderOrNotChainedAreRefusedAndChangeNothing() {
        Ledgers.commitTx(ledger, "seed", sim -> sim.setState("cc", "a", bytes("1")));
        final ByteString write = tx("w", sim -> sim.setState("cc", "a", bytes("2")));
        final byte[] lastHash = ledger.chainInfo().getCurrentBlockHash().toByteArray();

        assertThatThrownBy(() -> ledger.commit(TestBlocks.block(2, lastHash, List.of(write))))
                .isInstanceOf(BlockRejectedException.class).hasMessage("block number should have been 1 but was 2");
        assertThatThrownBy(() -> ledger.commit(TestBlocks.block(0, new byte[0], List.of(write))))
                .isInstanceOf(BlockRejectedException.class).hasMessage("block number should have been 1 but was 0");
        assertThatThrownBy(() -> ledger.commit(TestBlocks.block(1, new byte[32], List.of(write))))
                .isInstanceOf(BlockRejectedException.class)
                .hasMessageContaining("unexpected Previous block hash");
        final Block good = TestBlocks.block(1, lastHash, List.of(write));
        final Block tampered = good.toBuilder().setData(good.getData().toBuilder().setData(0,
                tx("other", sim -> sim.setState("cc", "a", bytes("evil"))))).build();
        assertThatThrownBy(() -> ledger.commit(tampered)).isInstanceOf(BlockRejectedException.class)
                .hasMessageContaining("data hash mismatch");
        assertThatThrownBy(() -> ledger.commit(Block.getDefaultInstance())).isInstanceOf(BlockRejectedException.class)
                .hasMessageContaining("has no header");

        assertThat(ledger.height()).isEqualTo(1);
        assertThat(get("cc", "a")).isEqualTo(bytes("1"));
        assertThat(ledger.containsTxId("w")).isFalse();
        assertThat(ledger.commit(good).code(0)).isEqualTo(VALID);
        assertThat(BlockHashes.blockHash(ledger.blockStore().blockByNumber(1).orElseThrow()))
                .isEqualTo(ledger.chainInfo().getCurrentBlockHash().toByteArray());
    }

    @Test
    void aBlockTheStateCannotHoldIsRefusedBeforeAnythingIsStored(@TempDir final Path smallDir) {
        try (ChannelLedger tiny = Ledgers.small(smallDir).stateEntries(10).open()) {
            Ledgers.commitTx(tiny, "seed", sim -> {
                for (int i = 0; i < 8; i++) {
                    sim.setState("cc", "k" + i, bytes("v"));
                }
            });
            final ByteString tooMany = Ledgers.simulate(tiny, "too-many", sim -> {
                for (int i = 8; i < 12; i++) {
                    sim.setState("cc", "k" + i, bytes("v"));
                }
            });
            final Block block = Ledgers.nextBlock(tiny, List.of(tooMany));

            assertThatThrownBy(() -> tiny.commit(block)).isInstanceOf(BlockRejectedException.class)
                    .hasMessageContaining("world state is full: block 1 adds 4 keys to 8")
                    .hasMessageContaining("created for 10 entries")
                    .extracting(e -> ((BlockRejectedException) e).reason())
                    .isEqualTo(BlockRejectedException.Reason.CAPACITY_EXCEEDED);
            assertThat(tiny.height()).isEqualTo(1);
            assertThat(tiny.containsTxId("too-many")).isFalse();
            try (QueryExecutor query = tiny.newQueryExecutor()) {
                assertThat(query.getState("cc", "k8")).isNull();
            }
            // deletes make room: a block that removes 3 keys and adds 4 fits
            final CommitResult fits = Ledgers.commitTx(tiny, "fits", sim -> {
                for (int i = 0; i < 3; i++) {
                    sim.deleteState("cc", "k" + i);
                }
                for (int i = 8; i < 12; i++) {
                    sim.setState("cc", "k" + i, bytes("v"));
                }
            });
            assertThat(fits.code(0)).isEqualTo(VALID);
        }
    }
}
