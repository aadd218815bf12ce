package dev.fabricembedded.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.state.StateKey;
import dev.fabricembedded.ledger.state.StateMetadata;
import dev.fabricembedded.ledger.state.VersionedKV;
import dev.fabricembedded.ledger.storage.MapSizing;
import dev.fabricembedded.ledger.storage.PersistedMap;
import dev.fabricembedded.ledger.testing.Crashes;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kill -9 in the middle of a block's state or history writes can leave a Chronicle Map entry half written; at the
 * next open Chronicle's recovery removes it, and the key loses the value it had before the block too. These tests
 * put the maps in exactly that shape (the block's journal recorded, the savepoint still at the block before, some
 * of the block's entries written, one torn entry removed) and check that reopening yields the state and history a
 * clean commit produced. Without the redo journal, re-running the block would merge the upserted key's metadata
 * with nothing (Fabric keeps a key's metadata across a value-only write) and would restart the key's history.
 */
class TornWriteRecoveryTest {
    private static final byte[] STATE_SAVEPOINT = {0, 's', 'a', 'v', 'e', 'p', 'o', 'i', 'n', 't'};
    private static final byte[] HISTORY_SAVEPOINT = {0, 'S'};

    @TempDir
    Path dir;
    @TempDir
    Path afterBlock0;

    private List<String> expectedState;
    private List<String> expectedHistory;

    /** Block 0: k gets a value and metadata, gone gets a value. Block 1: k's value only, gone deleted, fresh new. */
    @BeforeEach
    void commitTwoBlocks() throws IOException {
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            commit(ledger, "tx-0", sim -> {
                sim.setState("cc", "k", bytes("v0"));
                sim.setStateMetadata("cc", "k", Map.of("VALIDATION_PARAMETER", bytes("policy")));
                sim.setState("cc", "gone", bytes("g0"));
            });
        }
        copyStateFiles(dir.resolve("state"), afterBlock0);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            commit(ledger, "tx-1", sim -> {
                sim.setState("cc", "k", bytes("v1"));
                sim.deleteState("cc", "gone");
                sim.setState("cc", "fresh", bytes("f1"));
            });
            expectedState = dump(ledger);
            expectedHistory = history(ledger, "k");
        }
        assertThat(expectedState).contains("k=v1/" + HexFormat.of().formatHex(metadataOf("policy")) + "@1:0");
        assertThat(expectedHistory).containsExactly("tx-1", "tx-0");
    }

    @Test
    void aStateEntryTornByTheCrashIsRestoredFromTheJournal() throws IOException {
        // the crash hit block 1's state writes: the delete and k's replacement ran, k's entry was torn (Chronicle's
        // recovery removes it), fresh and the savepoint were not written yet
        try (PersistedMap state = openMap(dir.resolve("state").resolve("state.cm"))) {
            state.map().remove(StateKey.encode("cc", "k"));
            state.map().remove(StateKey.encode("cc", "fresh"));
            state.map().put(STATE_SAVEPOINT, savepoint(0));
        }
        Crashes.leaveDirty(dir, false);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(dump(ledger)).isEqualTo(expectedState);
            assertThat(((KvLedger) ledger).worldState().savepoint()).isEqualTo(1);
            commit(ledger, "tx-2", sim -> sim.setState("cc", "k", bytes("v2")));
            assertThat(dump(ledger)).contains("k=v2/" + HexFormat.of().formatHex(metadataOf("policy")) + "@2:0");
        }
    }

    @Test
    void aTornSavepointIsRestoredFromTheJournal() throws IOException {
        // every entry of block 1 was written, then the crash tore the savepoint entry itself
        try (PersistedMap state = openMap(dir.resolve("state").resolve("state.cm"))) {
            state.map().remove(STATE_SAVEPOINT);
        }
        Crashes.leaveDirty(dir, false);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(((KvLedger) ledger).worldState().savepoint()).isEqualTo(1);
            assertThat(dump(ledger)).isEqualTo(expectedState);
            assertThat(history(ledger, "k")).isEqualTo(expectedHistory);
        }
    }

    @Test
    void aHistoryHeadTornByTheCrashIsRestoredFromTheJournal() throws IOException {
        // block 1's history records were written, then the crash tore k's head; the savepoint still says block 0
        try (PersistedMap heads = openMap(dir.resolve("history").resolve("heads-000.cm"))) {
            assertThat(heads.map().remove(StateKey.encode("cc", "k"))).isNotNull();
            heads.map().put(HISTORY_SAVEPOINT, savepoint(0));
        }
        Crashes.leaveDirty(dir, false);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(history(ledger, "k")).isEqualTo(expectedHistory);
            assertThat(dump(ledger)).isEqualTo(expectedState);
        }
    }

    @Test
    void aBlockWhoseWritesNeverStartedIsReExecutedFromTheBlockStore() throws IOException {
        // the crash came after block 1 was stored and before its state journal was written: state and journal
        // are block 0's, so the ledger re-executes block 1 against block 0's state
        copyStateFiles(afterBlock0, dir.resolve("state"));
        Crashes.leaveDirty(dir, false);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(((KvLedger) ledger).worldState().savepoint()).isEqualTo(1);
            assertThat(dump(ledger)).isEqualTo(expectedState);
        }
    }

    private static void copyStateFiles(final Path from, final Path to) throws IOException {
        for (String file : List.of("state.cm", "state.cm.sizing", "state.journal")) {
            Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static PersistedMap openMap(final Path file) {
        final MapSizing sizing = MapSizing.load(file.resolveSibling(file.getFileName() + ".sizing"));
        return PersistedMap.open(file, sizing, "test", false);
    }

    private static byte[] savepoint(final long block) {
        return ByteBuffer.allocate(8).putLong(block).array();
    }

    private static byte[] metadataOf(final String policy) {
        return StateMetadata.serialize(List.of(KVMetadataEntry.newBuilder().setName("VALIDATION_PARAMETER")
                .setValue(ByteString.copyFrom(policy, StandardCharsets.UTF_8)).build()));
    }

    private static void commit(final ChannelLedger ledger, final String txId,
                               final Consumer<TxSimulator> sim) {
        ledger.commit(Ledgers.nextBlock(ledger, List.of(Ledgers.simulate(ledger, txId, sim))));
    }

    private static List<String> dump(final ChannelLedger ledger) {
        final List<String> entries = new ArrayList<>();
        ((KvLedger) ledger).worldState().range("cc", "", "").forEachRemaining((VersionedKV kv) -> entries.add(
                kv.key() + "=" + new String(kv.value().value(), StandardCharsets.UTF_8) + "/"
                        + HexFormat.of().formatHex(kv.value().metadata()) + "@" + kv.value().version().blockNum()
                        + ":" + kv.value().version().txNum()));
        return entries;
    }

    private static List<String> history(final ChannelLedger ledger, final String key) {
        final List<String> modifications = new ArrayList<>();
        try (ResultsIterator<KeyModification> it = ledger.newHistoryQueryExecutor().getHistoryForKey("cc", key)) {
            it.forEachRemaining(m -> modifications.add(m.getTxId()));
        }
        return modifications;
    }
}
