package dev.fabricembedded.ledger;

import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's commit with the block's sync on the block store's helper thread while the state is applied and the
 * transaction ids indexed: a block with an id too long for a map entry still commits, and close waits for a commit
 * in progress and stops the helper thread.
 */
class ParallelCommitTest {
    @TempDir
    Path dir;

    @Test
    void aMegabyteTransactionIdCommitsIsFoundAndIsADuplicateTheSecondTime() {
        final String longId = "x".repeat(1 << 20);
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            Ledgers.commitTx(ledger, "t0", sim -> sim.setState("cc", "a", bytes("0")));
            final CommitResult first = ledger.commit(Ledgers.nextBlock(ledger,
                    List.of(Ledgers.simulate(ledger, longId, sim -> sim.setState("cc", "b", bytes("1"))))));
            assertThat(first.flags().flag(0)).isEqualTo(TxValidationCode.VALID_VALUE);
            final CommitResult again = ledger.commit(Ledgers.nextBlock(ledger,
                    List.of(Ledgers.simulate(ledger, longId, sim -> sim.setState("cc", "c", bytes("2"))))));
            assertThat(again.flags().flag(0)).isEqualTo(TxValidationCode.DUPLICATE_TXID_VALUE);
        }
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            assertThat(ledger.height()).isEqualTo(3);
            assertThat(ledger.blockStore().transactionLocation(longId).orElseThrow().blockNumber()).isEqualTo(1);
        }
    }

    @Test
    void closeWhileCommittingWaitsForTheCommitInProgressAndStopsTheSyncThread() throws Exception {
        final ChannelLedger ledger = Ledgers.small(dir).open();
        final AtomicInteger committed = new AtomicInteger();
        final CompletableFuture<RuntimeException> committer = CompletableFuture.supplyAsync(() -> {
            try {
                while (true) {
                    final int n = committed.get();
                    Ledgers.commitTx(ledger, "t" + n, sim -> sim.setState("cc", "k" + n, bytes("v" + n)));
                    committed.incrementAndGet();
                }
            } catch (RuntimeException e) {
                return e;
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (committed.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(committed.get()).as("blocks committed before the close").isGreaterThanOrEqualTo(3);

        ledger.close();

        final RuntimeException stopped = committer.get(60, TimeUnit.SECONDS);
        assertThat(stopped).isInstanceOf(LedgerException.class).hasMessageContaining("is closed");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && t.getName().startsWith("block-")
                && t.getName().contains(dir.toString()));
        try (ChannelLedger reopened = Ledgers.small(dir).open();
             QueryExecutor query = reopened.newQueryExecutor()) {
            final int count = committed.get();
            assertThat(reopened.height()).isEqualTo(count);
            for (int n = 0; n < count; n++) {
                assertThat(query.getState("cc", "k" + n)).isEqualTo(bytes("v" + n));
                assertThat(reopened.containsTxId("t" + n)).isTrue();
            }
        }
    }
}
