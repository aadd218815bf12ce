package dev.fabricembedded.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.state.ChronicleWorldState;
import dev.fabricembedded.ledger.state.VersionedKV;
import dev.fabricembedded.ledger.testing.Crashes;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.testing.TestBlocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoveryTest {
    @TempDir
    Path dir;

    /** Commits blocks of random transactions (some conflicting) and returns the final state as text. */
    static void commitRandomBlocks(final ChannelLedger ledger, final int blocks, final long seed) {
        final Random random = new Random(seed);
        for (int b = 0; b < blocks; b++) {
            final List<ByteString> txs = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                final String txId = "tx-" + ledger.height() + "-" + t;
                txs.add(Ledgers.simulate(ledger, txId, sim -> {
                    for (int op = 0; op < 3; op++) {
                        final String key = "k" + random.nextInt(30);
                        sim.getState("cc", key);
                        if (random.nextInt(5) == 0) {
                            sim.deleteState("cc", key);
                        } else {
                            sim.setState("cc", key, bytes(txId + "/" + op));
                        }
                    }
                }));
            }
            ledger.commit(Ledgers.nextBlock(ledger, txs));
        }
    }

    static List<String> dump(final ChannelLedger ledger) {
        final List<String> entries = new ArrayList<>();
        final Iterator<VersionedKV> all = ((KvLedger) ledger).worldState().range("cc", "", "");
        all.forEachRemaining(kv -> entries.add(kv.key() + "=" + new String(kv.value().value()) + "@"
                + kv.value().version()));
        return entries;
    }

    @Test
    void aLostStateIsRebuiltFromTheBlockStore() {
        final List<String> expected;
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            commitRandomBlocks(ledger, 10, 1);
            expected = dump(ledger);
        }
        ChronicleWorldState.delete(dir.resolve("state"));
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(ledger.height()).isEqualTo(10);
            assertThat(dump(ledger)).isEqualTo(expected).isNotEmpty();
        }
    }

    @Test
    void afterAProcessCrashTheMapsOpenInRecoveryModeAndNothingIsLost() throws IOException {
        final List<String> expected;
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            commitRandomBlocks(ledger, 5, 2);
            expected = dump(ledger);
        }
        Crashes.leaveDirty(dir, false);
        Crashes.leaveDirty(dir.resolve("blocks"), false);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(dump(ledger)).isEqualTo(expected);
            commitRandomBlocks(ledger, 2, 3);
            assertThat(ledger.height()).isEqualTo(7);
        }
    }

    @Test
    void afterAMachineRestartStateAndHistoryAreRebuiltAndEqual() throws IOException {
        final List<String> expected;
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            commitRandomBlocks(ledger, 8, 4);
            expected = dump(ledger);
        }
        Crashes.leaveDirty(dir, true);
        Crashes.leaveDirty(dir.resolve("blocks"), true);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(dump(ledger)).isEqualTo(expected);
        }
    }

    @Test
    void aStateAheadOfTheBlockStoreIsAClearError(@TempDir final Path shorter) throws IOException {
        try (ChannelLedger ledger = Ledgers.small(shorter).open()) {
            commitRandomBlocks(ledger, 2, 5);
        }
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            commitRandomBlocks(ledger, 2, 5);
            commitRandomBlocks(ledger, 2, 6);
        }
        // put the 2-block chain under the 4-block state
        replaceDirectory(shorter.resolve("blocks"), dir.resolve("blocks"));

        assertThatThrownBy(() -> Ledgers.small(dir).open()).isInstanceOf(LedgerException.class)
                .hasMessageContaining("the state database [height=4] is ahead of the block store [height=2]");
        // nothing was left locked or half-open: after dropping the state the ledger opens at the chain's height
        ChronicleWorldState.delete(dir.resolve("state"));
        dev.fabricembedded.ledger.history.HistoryIndex.delete(dir.resolve("history"));
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(ledger.height()).isEqualTo(2);
        }
    }

    private static void replaceDirectory(final Path source, final Path target) throws IOException {
        try (Stream<Path> old = Files.list(target)) {
            for (Path path : old.toList()) {
                Files.delete(path);
            }
        }
        try (Stream<Path> files = Files.list(source)) {
            for (Path path : files.toList()) {
                Files.copy(path, target.resolve(path.getFileName()));
            }
        }
    }

    @Test
    void theSameDirectoryCannotBeOpenedTwice() {
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThatThrownBy(() -> Ledgers.small(dir).open()).isInstanceOf(LedgerInUseException.class)
                    .hasMessageContaining("is in use by another ledger instance");
            assertThat(ledger.height()).isZero();
        }
    }

    @Test
    void anUnwritableDirectoryIsAClearError() throws IOException {
        final Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> Ledgers.small(file.resolve("ledger")).open()).isInstanceOf(LedgerException.class)
                .hasMessageContaining("cannot create or write ledger directory " + file.resolve("ledger"));
    }

    @Test
    void closeWaitsForOpenSimulatorsAndNamesThem() {
        final ChannelLedger ledger = Ledgers.small(dir).closeTimeout(java.time.Duration.ofMillis(200)).open();
        final var simulator = ledger.newTxSimulator("still-open");
        assertThatThrownBy(ledger::close).isInstanceOf(LedgerException.class)
                .hasMessageContaining("still in use by [simulator for txid still-open]");
        // the ledger stayed usable, and closes once the simulator is done
        assertThat(simulator.getState("cc", "k")).isNull();
        simulator.done();
        ledger.close();
        assertThatThrownBy(() -> ledger.newQueryExecutor()).isInstanceOf(LedgerException.class);
    }

    @Test
    void aClosedLedgerRefusesWorkWithAClearError() {
        final ChannelLedger ledger = Ledgers.small(dir).open();
        ledger.close();
        ledger.close();
        assertThatThrownBy(() -> ledger.newTxSimulator("t")).isInstanceOf(LedgerException.class)
                .hasMessage("ledger " + TestBlocks.CHANNEL + " is closed");
        assertThatThrownBy(() -> ledger.blockStore().blockByNumber(0)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("is closed");
    }
}
