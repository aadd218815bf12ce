package dev.fabricembedded.ledger.block;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.testing.Chain;
import dev.fabricembedded.ledger.testing.TestBlocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parallel end of an append: the record's sync runs on the store's helper thread while the caller's work and
 * then the transaction-id indexing run on the calling thread; the block becomes visible only once all are done, and
 * any failure after the write leaves it invisible and the store refusing appends until reopened.
 */
class AppendFailureTest {
    /** A transaction id longer than a map entry of the transaction index can hold (1 MiB against 64 KiB). */
    private static final String OVERSIZED_TX_ID = "x".repeat(1 << 20);

    @TempDir
    Path dir;

    private FileBlockStore open() {
        return BlockStore.builder(dir).indexEntries(1000).open();
    }

    private static Block block(final Chain chain, final String txId) {
        return chain.next(List.of(TestBlocks.endorserTx(txId, TxReadWriteSet.getDefaultInstance())));
    }

    @Test
    void aTransactionIdTooLongForAMapEntryIsIndexedByItsDigest() {
        final Chain chain = new Chain();
        final Block first = block(chain, OVERSIZED_TX_ID);
        final Block second = block(chain, OVERSIZED_TX_ID + "y");
        try (FileBlockStore store = open()) {
            store.append(first);
            store.append(second);
            assertThat(store.transactionLocation(OVERSIZED_TX_ID))
                    .contains(new TransactionLocation(0, 0, TxValidationCode.NOT_VALIDATED));
            assertThat(store.transactionLocation(OVERSIZED_TX_ID + "y"))
                    .contains(new TransactionLocation(1, 0, TxValidationCode.NOT_VALIDATED));
            assertThat(store.containsTxId(OVERSIZED_TX_ID.substring(1))).isFalse();
        }
        try (FileBlockStore store = open()) {
            assertThat(store.height()).isEqualTo(2);
            assertThat(store.containsTxId(OVERSIZED_TX_ID)).isTrue();
        }
    }

    @Test
    void theCallersWorkFailingFailsTheAppendOnceTheHelpersAreDone() {
        final Chain chain = new Chain();
        final Block first = block(chain, "tx-0");
        final Block second = block(chain, "tx-1");
        final IllegalStateException failure = new IllegalStateException("state update failed");
        try (FileBlockStore store = open()) {
            store.append(first);

            assertThatThrownBy(() -> store.append(HashCheckedBlock.of(second), List.of("tx-1"), () -> {
                throw failure;
            })).isSameAs(failure);

            assertThat(store.height()).isEqualTo(1);
            assertThat(store.transactionLocation("tx-1")).isEmpty();
            assertThatThrownBy(() -> store.append(block(new Chain(1, BlockHashes.headerHash(first.getHeader())),
                    "tx-other"))).hasMessageContaining("refuses appends");
        }
        try (FileBlockStore store = open()) {
            assertThat(store.height()).isEqualTo(2);
            assertThat(store.blockByNumber(1)).contains(second);
        }
    }

    @Test
    void theCallersWorkRunsOnTheCallingThreadAndTheSyncThreadStopsAtClose() {
        final Chain chain = new Chain();
        final AtomicReference<Thread> ranOn = new AtomicReference<>();
        final AtomicReference<Long> heightDuringWork = new AtomicReference<>();
        final FileBlockStore store = open();
        try {
            store.append(HashCheckedBlock.of(block(chain, "tx-0")), List.of("tx-0"), () -> {
                ranOn.set(Thread.currentThread());
                heightDuringWork.set(store.height());
            });

            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
            assertThat(heightDuringWork.get()).as("the block is invisible until synced and indexed").isZero();
            assertThat(store.height()).isEqualTo(1);
            assertThat(store.transactionLocation("tx-0")).isPresent();
            assertThat(helperThreads()).extracting(Thread::getName).containsExactly("block-sync " + dir);
        } finally {
            store.close();
        }
        assertThat(helperThreads()).isEmpty();
    }

    @Test
    void aRefusedBlockChangesNothingAndLaterAppendsWork() {
        final Chain chain = new Chain();
        final Block first = block(chain, "tx-0");
        final Block second = block(chain, "tx-1");
        try (FileBlockStore store = open()) {
            store.append(first);
            assertThatThrownBy(() -> store.append(HashCheckedBlock.of(first), List.of("tx-0"), () -> {
                throw new AssertionError("must not run for a refused block");
            })).hasMessageContaining("block number should have been 1 but was 0");

            store.append(HashCheckedBlock.of(second), List.of("tx-1"));
            assertThat(store.height()).isEqualTo(2);
        }
    }

    private List<Thread> helperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().endsWith(" " + dir)
                        && t.getName().startsWith("block-"))
                .toList();
    }
}
