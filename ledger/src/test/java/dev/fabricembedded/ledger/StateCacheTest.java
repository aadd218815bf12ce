package dev.fabricembedded.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.state.CachedWorldState;
import dev.fabricembedded.ledger.state.ChronicleWorldState;
import dev.fabricembedded.ledger.testing.Crashes;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state cache behind the ledger API: point reads must always equal the committed map. */
class StateCacheTest {
    @TempDir
    Path dir;

    private static CachedWorldState cache(final ChannelLedger ledger) {
        return (CachedWorldState) ((KvLedger) ledger).worldState();
    }

    /** Every committed key of "cc" and its value, read by a range scan (which reads the map, not the cache). */
    private static Map<String, String> scan(final QueryExecutor query) {
        final Map<String, String> entries = new TreeMap<>();
        try (ResultsIterator<KV> all = query.getStateRangeScanIterator("cc", "", "")) {
            for (KV kv = all.next(); kv != null; kv = all.next()) {
                entries.put(kv.getKey(), kv.getValue().toStringUtf8());
            }
        }
        return entries;
    }

    private static String text(final byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Point reads of keys k0..k(n-1) through the ledger (cached), absent keys left out. */
    private static Map<String, String> pointReads(final QueryExecutor query, final int keys) {
        final Map<String, String> entries = new TreeMap<>();
        for (int i = 0; i < keys; i++) {
            final String value = text(query.getState("cc", "k" + i));
            if (value != null) {
                entries.put("k" + i, value);
            }
        }
        return entries;
    }

    private static String read(final ChannelLedger ledger, final String key) {
        try (QueryExecutor query = ledger.newQueryExecutor()) {
            return text(query.getState("cc", key));
        }
    }

    @Test
    void pointReadsSeeEveryCommitPutUpdateDeleteMetadataChangeAndRecreate() {
        try (ChannelLedger ledger = Ledgers.small(dir).stateCacheBytes(1 << 20).open()) {
            assertThat(read(ledger, "k")).isNull();                  // cached as absent
            Ledgers.commitTx(ledger, "put", sim -> sim.setState("cc", "k", bytes("v0")));
            assertThat(read(ledger, "k")).isEqualTo("v0");
            Ledgers.commitTx(ledger, "update", sim -> sim.setState("cc", "k", bytes("v1")));
            assertThat(read(ledger, "k")).isEqualTo("v1");
            Ledgers.commitTx(ledger, "metadata", sim -> sim.setStateMetadata("cc", "k", Map.of("p", bytes("x"))));
            try (QueryExecutor query = ledger.newQueryExecutor()) {
                assertThat(query.getStateMetadata("cc", "k")).containsOnlyKeys("p");
                assertThat(text(query.getState("cc", "k"))).isEqualTo("v1");
            }
            // a simulator records the version it reads: an update based on it must pass MVCC
            final CommitResult readAndWrite = Ledgers.commitTx(ledger, "read-write",
                    sim -> sim.setState("cc", "k", bytes(text(sim.getState("cc", "k")) + "+")));
            assertThat(readAndWrite.code(0)).isEqualTo(org.hyperledger.fabric.protos.peer.TxValidationCode.VALID);
            assertThat(read(ledger, "k")).isEqualTo("v1+");
            Ledgers.commitTx(ledger, "delete", sim -> sim.deleteState("cc", "k"));
            assertThat(read(ledger, "k")).isNull();
            Ledgers.commitTx(ledger, "recreate", sim -> sim.setState("cc", "k", bytes("again")));
            try (QueryExecutor query = ledger.newQueryExecutor()) {
                assertThat(text(query.getState("cc", "k"))).isEqualTo("again");
                assertThat(query.getStateMetadata("cc", "k")).isEmpty();
                assertThat(scan(query)).containsExactly(Map.entry("k", "again"));
            }
            final CachedWorldState.Stats stats = cache(ledger).stats();
            assertThat(stats.misses()).isEqualTo(1);
            assertThat(stats.hits()).isGreaterThanOrEqualTo(10);
        }
    }

    /** Cache on and off: the view equals the copy, cannot be changed through a copy, and outlives a commit. */
    @Test
    void aByteStringReadIsTheValueUntouchedByCopiesAndKeepsItsBytesAfterALaterCommit(@TempDir final Path off) {
        for (ChannelLedgerBuilder builder : List.of(Ledgers.small(dir).stateCacheBytes(1 << 20),
                Ledgers.small(off).stateCacheBytes(0))) {
            try (ChannelLedger ledger = builder.open()) {
                Ledgers.commitTx(ledger, "put", sim -> sim.setState("cc", "k", bytes("v0")));
                final ByteString before;
                try (QueryExecutor query = ledger.newQueryExecutor()) {
                    assertThat(query.getStateByteString("cc", "absent")).isNull();
                    query.getState("cc", "k")[0] = 'X';                 // a caller changing its copy
                    before = query.getStateByteString("cc", "k");
                    assertThat(before.toStringUtf8()).isEqualTo("v0");
                    assertThat(query.getStateByteString("cc", "k")).isEqualTo(before);
                }
                Ledgers.commitTx(ledger, "update", sim -> sim.setState("cc", "k", bytes("v1")));
                assertThat(before.toStringUtf8()).isEqualTo("v0");
                try (QueryExecutor query = ledger.newQueryExecutor()) {
                    assertThat(query.getStateByteString("cc", "k").toStringUtf8()).isEqualTo("v1");
                    assertThat(text(query.getState("cc", "k"))).isEqualTo("v1");
                }
            }
        }
    }

    @Test
    void aBlockRefusedForCapacityLeavesTheCacheAndTheMapUnchanged(@TempDir final Path smallDir) {
        try (ChannelLedger tiny = Ledgers.small(smallDir).stateEntries(10).stateCacheBytes(1 << 20).open()) {
            Ledgers.commitTx(tiny, "seed", sim -> {
                for (int i = 0; i < 8; i++) {
                    sim.setState("cc", "k" + i, bytes("v" + i));
                }
            });
            final Map<String, String> before;
            try (QueryExecutor query = tiny.newQueryExecutor()) {
                before = pointReads(query, 12);                      // k0..k7 cached, k8..k11 cached as absent
            }
            final CachedWorldState.Stats cachedBefore = cache(tiny).stats();
            final ByteString tooMany = Ledgers.simulate(tiny, "too-many", sim -> {
                sim.setState("cc", "k0", bytes("changed"));
                sim.deleteState("cc", "k1");
                for (int i = 8; i < 12; i++) {
                    sim.setState("cc", "k" + i, bytes("new"));
                }
            });
            final Block block = Ledgers.nextBlock(tiny, List.of(tooMany));

            assertThatThrownBy(() -> tiny.commit(block)).isInstanceOf(BlockRejectedException.class)
                    .extracting(e -> ((BlockRejectedException) e).reason())
                    .isEqualTo(BlockRejectedException.Reason.CAPACITY_EXCEEDED);
            assertThat(cache(tiny).stats().entries()).isEqualTo(cachedBefore.entries());
            assertThat(cache(tiny).stats().bytes()).isEqualTo(cachedBefore.bytes());
            try (QueryExecutor query = tiny.newQueryExecutor()) {
                assertThat(pointReads(query, 12)).isEqualTo(before).hasSize(8);
                assertThat(scan(query)).isEqualTo(before);
            }
            assertThat(cache(tiny).stats().misses()).isEqualTo(cachedBefore.misses());
        }
    }

    @Test
    void afterACrashReadsThroughTheCacheEqualTheRecoveredMap() throws IOException {
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            RecoveryTest.commitRandomBlocks(ledger, 10, 3);
        }
        // the process died with the state lost: every block is re-applied through the cache at open
        ChronicleWorldState.delete(dir.resolve("state"));
        Crashes.leaveDirty(dir, false);
        try (ChannelLedger ledger = Ledgers.small(dir).stateCacheBytes(1 << 20).open()) {
            assertThat(ledger.height()).isEqualTo(10);
            try (QueryExecutor query = ledger.newQueryExecutor()) {
                final Map<String, String> committed = scan(query);
                assertThat(committed).isNotEmpty();
                assertThat(pointReads(query, 30)).isEqualTo(committed);
                assertThat(pointReads(query, 30)).isEqualTo(committed); // the second time from the cache
            }
            assertThat(cache(ledger).stats().hits()).isGreaterThanOrEqualTo(30);
            // and commits after recovery keep it exact
            RecoveryTest.commitRandomBlocks(ledger, 5, 4);
            try (QueryExecutor query = ledger.newQueryExecutor()) {
                assertThat(pointReads(query, 30)).isEqualTo(scan(query));
            }
        }
    }

    @Test
    void concurrentReadersNeverSeeAValueTheMapDoesNotHold() throws Exception {
        final int keys = 10;
        final int blocks = 30;
        // a budget of ~8 of the 10 entries (~80 bytes each, StateCacheTable.weight): readers evict and refill while
        // blocks are committed
        try (ChannelLedger ledger = Ledgers.small(dir).stateCacheBytes(680).open()) {
            Ledgers.commitTx(ledger, "b0", sim -> writeAll(sim, keys, "b0"));
            final AtomicBoolean committing = new AtomicBoolean(true);
            final AtomicInteger checks = new AtomicInteger();
            final List<String> problems = new CopyOnWriteArrayList<>();
            final ExecutorService readers = Executors.newFixedThreadPool(2, r -> new Thread(r, "cache-test-reader"));
            try {
                final List<Future<?>> running = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    running.add(readers.submit(() -> {
                        final List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < keys; i++) {
                            order.add(i);
                        }
                        while ((committing.get() || checks.get() < 5) && problems.isEmpty()) {
                            Collections.shuffle(order);
                            try (QueryExecutor query = ledger.newQueryExecutor()) {
                                final Map<String, String> read = new TreeMap<>();
                                for (int i : order) {
                                    read.put("k" + i, text(query.getState("cc", "k" + i)));
                                }
                                final Map<String, String> map = scan(query);
                                if (!read.equals(map)) {
                                    problems.add("cache " + read + " but map " + map);
                                } else if (read.values().stream().distinct().count() != 1) {
                                    problems.add("part of a block: " + read);
                                }
                            }
                            checks.incrementAndGet();
                        }
                    }));
                }
                for (int b = 1; b <= blocks; b++) {
                    final String tag = "b" + b;
                    Ledgers.commitTx(ledger, tag, sim -> writeAll(sim, keys, tag));
                }
                committing.set(false);
                for (Future<?> reader : running) {
                    reader.get(60, TimeUnit.SECONDS);
                }
            } finally {
                committing.set(false);
                readers.shutdownNow();
                assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(problems).isEmpty();
            assertThat(checks.get()).isGreaterThanOrEqualTo(5);
            assertThat(read(ledger, "k3")).isEqualTo("b" + blocks);
            final CachedWorldState.Stats stats = cache(ledger).stats();
            assertThat(stats.bytes()).isLessThanOrEqualTo(680);
            assertThat(stats.evictions()).isPositive();
        }
    }

    private static void writeAll(final dev.fabricembedded.ledger.txmgr.TxSimulator sim, final int keys,
                                 final String value) {
        for (int i = 0; i < keys; i++) {
            sim.setState("cc", "k" + i, bytes(value));
        }
    }

    @Test
    void zeroDisablesTheCacheAndTheDefaultIsAnEighthOfTheHeap(@TempDir final Path other) {
        try (ChannelLedger ledger = Ledgers.small(dir).stateCacheBytes(0).open()) {
            assertThat(((KvLedger) ledger).worldState()).isInstanceOf(ChronicleWorldState.class);
            Ledgers.commitTx(ledger, "t", sim -> sim.setState("cc", "a", bytes("1")));
            assertThat(read(ledger, "a")).isEqualTo("1");
        }
        try (ChannelLedger ledger = Ledgers.small(other).open()) {
            assertThat(cache(ledger).maxBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 8);
        }
        assertThatThrownBy(() -> Ledgers.small(dir).stateCacheBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 disables");
    }
}
