package dev.fabricembedded.ledger.history;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.testing.Crashes;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.testing.TestBlocks;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTest {
    @TempDir
    Path dir;

    private static List<KeyModification> history(final ChannelLedger ledger, final String namespace, final String key) {
        final List<KeyModification> all = new ArrayList<>();
        try (ResultsIterator<KeyModification> iterator =
                     ledger.newHistoryQueryExecutor().getHistoryForKey(namespace, key)) {
            iterator.forEachRemaining(all::add);
        }
        return all;
    }

    private static void writeHistory(final ChannelLedger ledger) {
        Ledgers.commitTx(ledger, "t1", sim -> sim.setState("cc", "k", bytes("one")));
        // two writes of k in one block: both are history, the invalid third one is not
        final ByteString second = Ledgers.simulate(ledger, "t2", sim -> sim.setState("cc", "k", bytes("two")));
        final ByteString third = Ledgers.simulate(ledger, "t3", sim -> sim.setState("cc", "k", bytes("three")));
        final ByteString rejected = Ledgers.simulate(ledger, "t-rejected", sim -> sim.setState("cc", "k", bytes("no")));
        ledger.commit(Ledgers.nextBlock(ledger, List.of(second, rejected, third),
                new byte[]{0, (byte) TxValidationCode.ENDORSEMENT_POLICY_FAILURE_VALUE, 0}));
        Ledgers.commitTx(ledger, "t4", sim -> sim.deleteState("cc", "k"));
        Ledgers.commitTx(ledger, "t5", sim -> sim.setStateMetadata("cc", "k", java.util.Map.of("m", bytes("x"))));
        Ledgers.commitTx(ledger, "t6", sim -> {
            sim.setState("cc", "k", bytes("six"));
            sim.setState("other", "k", bytes("elsewhere"));
        });
    }

    private static void assertHistory(final ChannelLedger ledger) {
        final List<KeyModification> history = history(ledger, "cc", "k");
        assertThat(history).extracting(KeyModification::getTxId).containsExactly("t6", "t4", "t3", "t2", "t1");
        assertThat(history.get(0).getValue().toStringUtf8()).isEqualTo("six");
        assertThat(history.get(1).getIsDelete()).isTrue();
        assertThat(history.get(1).getValue()).isEmpty();
        assertThat(history.get(2).getValue().toStringUtf8()).isEqualTo("three");
        assertThat(history.get(4).getIsDelete()).isFalse();
        assertThat(history.get(4).getTimestamp().getSeconds()).isEqualTo(1_700_000_000L);
        assertThat(history(ledger, "other", "k")).extracting(KeyModification::getTxId).containsExactly("t6");
        assertThat(history(ledger, "cc", "never-written")).isEmpty();
    }

    @Test
    void historyIsNewestFirstWithDeletesAndOnlyValidTransactions() {
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            writeHistory(ledger);
            assertHistory(ledger);
            assertThatThrownBy(() -> ledger.newHistoryQueryExecutor().getHistoryForKey("", "k"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (ChannelLedger reopened = Ledgers.small(dir).open()) {
            assertHistory(reopened);
        }
    }

    @Test
    void historyIsRebuiltFromTheBlockStoreWhenItIsLost() throws Exception {
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            writeHistory(ledger);
        }
        HistoryIndex.delete(dir.resolve("history"));
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertHistory(ledger);
        }
        // a machine restart while open rebuilds it as well, and the result is the same
        Crashes.leaveDirty(dir, true);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertHistory(ledger);
        }
    }

    @Test
    void historyCanBeDisabled() {
        try (ChannelLedger ledger = Ledgers.small(dir).historyEnabled(false).open()) {
            Ledgers.commitTx(ledger, "t1", sim -> sim.setState("cc", "k", bytes("one")));
            assertThatThrownBy(ledger::newHistoryQueryExecutor).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("history is disabled");
            assertThat(TestBlocks.CHANNEL).isEqualTo(ledger.channelId());
        }
    }
}
