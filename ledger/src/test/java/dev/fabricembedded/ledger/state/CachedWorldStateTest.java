package dev.fabricembedded.ledger.state;

import dev.fabricembedded.ledger.storage.MapSizing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache over a real Chronicle world state: every read through it must equal a read of the map itself. */
class CachedWorldStateTest {
    private static final StateLimits LIMITS = new StateLimits(1024, 4096, 1024);
    private static final byte[] NO_METADATA = new byte[0];

    @TempDir
    Path dir;

    private ChronicleWorldState openMap() {
        return ChronicleWorldState.open(dir, new MapSizing(1_000, 16, 64, LIMITS.maxEntrySize(), 2.0), LIMITS, false);
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(final WorldState state, final long block, final String key, final String value,
                            final byte[] metadata) {
        final UpdateBatch batch = new UpdateBatch();
        batch.put(StateKey.of("ns", key), bytes(value), metadata, new Height(block, 0));
        state.apply(batch, block, false);
    }

    private static void delete(final WorldState state, final long block, final String key) {
        final UpdateBatch batch = new UpdateBatch();
        batch.delete(StateKey.of("ns", key), new Height(block, 0));
        state.apply(batch, block, false);
    }

    /** Every point read of {@code key} through the cache equals the same read of the map. */
    private static void assertSameAsMap(final CachedWorldState cache, final ChronicleWorldState map,
                                        final String key) {
        final StateKey stateKey = StateKey.of("ns", key);
        final VersionedValue expected = map.get(stateKey);
        final VersionedValue cached = cache.get(stateKey);
        if (expected == null) {
            assertThat(cached).isNull();
            assertThat(cache.value(stateKey)).isNull();
            assertThat(cache.value("ns", key)).isNull();
            assertThat(cache.view("ns", key)).isNull();
            assertThat(cache.valueView("ns", key)).isNull();
            assertThat(cache.version(stateKey)).isNull();
            assertThat(cache.versionedMetadata(stateKey)).isNull();
            return;
        }
        assertThat(cached.value()).isEqualTo(expected.value());
        assertThat(cached.metadata()).isEqualTo(expected.metadata());
        assertThat(cached.version()).isEqualTo(expected.version());
        assertThat(cache.value(stateKey)).isEqualTo(expected.value());
        assertThat(cache.value("ns", key)).isEqualTo(expected.value());
        assertThat(cache.view("ns", key).value().toByteArray()).isEqualTo(expected.value());
        assertThat(cache.view("ns", key).version()).isEqualTo(expected.version());
        assertThat(cache.valueView("ns", key).toByteArray()).isEqualTo(expected.value());
        assertThat(cache.version(stateKey)).isEqualTo(expected.version());
        assertThat(cache.versionedMetadata(stateKey)).usingRecursiveComparison()
                .isEqualTo(map.versionedMetadata(stateKey));
    }

    @Test
    void readsFollowEveryCommittedPutUpdateDeleteMetadataChangeAndRecreate() {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 1 << 20)) {
            assertSameAsMap(cache, map, "k");                       // absent, now cached as absent
            put(cache, 0, "k", "v0", NO_METADATA);
            assertSameAsMap(cache, map, "k");
            assertThat(cache.value(StateKey.of("ns", "k"))).isEqualTo(bytes("v0"));
            put(cache, 1, "k", "v1", NO_METADATA);
            assertThat(cache.get("ns", "k").value()).isEqualTo(bytes("v1"));
            assertSameAsMap(cache, map, "k");
            put(cache, 2, "k", "v1", new byte[]{7, 7});             // metadata change only
            assertThat(cache.versionedMetadata(StateKey.of("ns", "k")).metadata()).containsExactly(7, 7);
            assertSameAsMap(cache, map, "k");
            delete(cache, 3, "k");
            assertThat(cache.get("ns", "k")).isNull();
            assertSameAsMap(cache, map, "k");
            put(cache, 4, "k", "again", NO_METADATA);                // re-created
            assertThat(cache.get("ns", "k").version()).isEqualTo(new Height(4, 0));
            assertSameAsMap(cache, map, "k");

            final CachedWorldState.Stats stats = cache.stats();
            assertThat(stats.misses()).isEqualTo(1);                // only the very first read went to the map
            assertThat(stats.hits()).isGreaterThan(40);
            assertThat(stats.entries()).isEqualTo(1);
        }
    }

    @Test
    void aCommitLeavesKeysItDidNotCacheUncached() {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 1 << 20)) {
            put(cache, 0, "a", "1", NO_METADATA);
            assertThat(cache.stats().entries()).isZero();
            assertThat(cache.get("ns", "a").value()).isEqualTo(bytes("1"));
            assertThat(cache.stats().misses()).isEqualTo(1);
            assertThat(cache.stats().entries()).isEqualTo(1);
        }
    }

    @Test
    void valuesHandedOutAreCopiesCallersCannotCorruptTheCacheThrough() {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 1 << 20)) {
            put(cache, 0, "k", "value", new byte[]{1});
            final StateKey key = StateKey.of("ns", "k");
            cache.get(key).value()[0] = 'X';
            cache.get(key).metadata()[0] = 9;
            cache.value(key)[0] = 'Y';
            cache.versionedMetadata(key).metadata()[0] = 9;
            assertThat(cache.get(key).value()).isEqualTo(bytes("value"));
            assertThat(cache.get(key).metadata()).containsExactly(1);

            put(cache, 1, "m", "m-value", NO_METADATA);
            final byte[] probe = StateKey.of("ns", "m").bytes();
            assertThat(cache.value(StateKey.fromBytes(probe))).isEqualTo(bytes("m-value"));  // a miss: cached

            probe[probe.length - 1] = 'z';                          // a caller reusing its key array
            assertThat(cache.get("ns", "m").value()).isEqualTo(bytes("m-value"));
            assertThat(cache.value(StateKey.of("ns", "z"))).isNull();
            assertThat(cache.stats().misses()).isEqualTo(3);        // k, m and z, each once
        }
    }

    @Test
    void aTinyCacheEvictsAndStaysWithinItsBudgetWhileEveryReadStaysCorrect() {
        final ChronicleWorldState map = openMap();
        final long budget = 4_096;
        try (CachedWorldState cache = new CachedWorldState(map, budget)) {
            final Random random = new Random(42);
            for (int block = 0; block < 20; block++) {
                final UpdateBatch batch = new UpdateBatch();
                for (int i = 0; i < 10; i++) {
                    final String key = "k" + random.nextInt(300);
                    if (random.nextInt(4) == 0) {
                        batch.delete(StateKey.of("ns", key), new Height(block, i));
                    } else {
                        batch.put(StateKey.of("ns", key), bytes(key + "@" + block), new byte[0], new Height(block, i));
                    }
                }
                cache.apply(batch, block, false);
                for (int read = 0; read < 100; read++) {
                    assertSameAsMap(cache, map, "k" + random.nextInt(300));
                    assertThat(cache.stats().bytes()).isLessThanOrEqualTo(budget);
                }
            }
            final CachedWorldState.Stats stats = cache.stats();
            assertThat(stats.evictions()).isPositive();
            assertThat(stats.hits()).isGreaterThan(0);
            assertThat(stats.entries()).isBetween(1L, budget / StateCacheTable.ENTRY_OVERHEAD);
        }
    }

    @Test
    void anEntryLargerThanAnEighthOfTheBudgetIsReadButNotCached() {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 2_000)) {
            put(cache, 0, "small", "s", NO_METADATA);
            put(cache, 1, "big", "b".repeat(400), NO_METADATA);
            assertThat(cache.get("ns", "big").value()).hasSize(400);
            assertThat(cache.get("ns", "small").value()).isEqualTo(bytes("s"));
            assertThat(cache.stats().entries()).isEqualTo(1);
            // a cached key growing past the limit is dropped, not kept stale
            put(cache, 2, "small", "s".repeat(400), NO_METADATA);
            assertThat(cache.stats().entries()).isZero();
            assertThat(cache.get("ns", "small").value()).hasSize(400);
        }
    }

    @Test
    void reApplyingABlockInRecoveryDropsTheKeysItTouchesSoReadsSeeWhatTheMapKept() {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 1 << 20)) {
            put(cache, 0, "a", "old", NO_METADATA);
            final UpdateBatch half = new UpdateBatch();
            half.put(StateKey.of("ns", "a"), bytes("new"), NO_METADATA, new Height(1, 0));
            map.apply(half, 1, false);                              // the half of block 1 applied before a crash
            final UpdateBatch block1 = new UpdateBatch();
            block1.put(StateKey.of("ns", "a"), bytes("new"), NO_METADATA, new Height(1, 0));
            block1.put(StateKey.of("ns", "b"), bytes("b"), NO_METADATA, new Height(1, 1));
            cache.get("ns", "b");                                   // cached as absent
            cache.apply(block1, 1, true);
            assertSameAsMap(cache, map, "a");
            assertSameAsMap(cache, map, "b");
            assertThat(cache.get("ns", "b").value()).isEqualTo(bytes("b"));
        }
    }

    @Test
    void rangeScansAndCountsGoToTheMap() {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 1 << 20)) {
            put(cache, 0, "a", "1", NO_METADATA);
            put(cache, 1, "b", "2", NO_METADATA);
            assertThat(cache.range("ns", "", "")).toIterable().extracting(VersionedKV::key).containsExactly("a", "b");
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.savepoint()).isEqualTo(1);
            assertThat(cache.stats().hits() + cache.stats().misses()).isZero();
        }
    }

    @Test
    void aBudgetBelowOneByteIsRefused() {
        final ChronicleWorldState map = openMap();
        try (map) {
            assertThatThrownBy(() -> new CachedWorldState(map, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 1 byte");
        }
    }

    /**
     * Reads by (namespace, key) Strings find a hit through a per-thread buffer, and fall back to the checking,
     * allocating path for everything the buffer does not take: keys outside ASCII (including Latin-1 text whose
     * UTF-8 bytes could be mistaken for another key's), keys longer than the buffer, invalid names.
     */
    @Test
    void readsByStringsHitForAsciiKeysAndFallBackForEveryOtherKeyWithTheSameAnswers() {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 1 << 20)) {
            final List<String> keys = List.of("k", "clé", "キー", "emoji \uD83D\uDE00",
                    "x".repeat(600), "\u0000car\u0000red\u0000");
            long block = 0;
            for (String key : keys) {
                put(cache, block++, key, "value of " + key, NO_METADATA);
            }
            for (String key : keys) {
                assertSameAsMap(cache, map, key);
                assertThat(cache.value("ns", key)).as(key).isEqualTo(bytes("value of " + key));
                assertThat(cache.view("ns", key).version()).isEqualTo(map.get(StateKey.of("ns", key)).version());
            }
            // Latin-1 characters whose low bytes are the UTF-8 of "clé": another key, absent
            assertThat(cache.value("ns", "cl\u00C3\u00A9")).isNull();
            assertThat(cache.valueView("ns", "cl\u00C3\u00A9")).isNull();
            assertThat(cache.stats().misses()).isEqualTo(keys.size() + 1);

            final long hits = cache.stats().hits();
            assertThat(cache.valueView("ns", "k").toStringUtf8()).isEqualTo("value of k");
            assertThat(cache.stats().hits()).isEqualTo(hits + 1);
            assertThat(cache.stats().misses()).isEqualTo(keys.size() + 1);

            assertThatThrownBy(() -> cache.valueView("", "k")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace");
            assertThatThrownBy(() -> cache.value("n\u0000s", "k")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace");
            assertThatThrownBy(() -> cache.view("ns", "bad \uD800")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate");
            assertThatThrownBy(() -> cache.view("ns", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key must not be null");
        }
    }

    /** Each thread encodes into a buffer of its own: concurrent readers never see each other's keys. */
    @Test
    void concurrentReadersByStringsEachGetTheirOwnKeysValue() throws Exception {
        final ChronicleWorldState map = openMap();
        try (CachedWorldState cache = new CachedWorldState(map, 1 << 20)) {
            final UpdateBatch batch = new UpdateBatch();
            for (int i = 0; i < 200; i++) {
                batch.put(StateKey.of("ns", "key" + i), bytes("value" + i), NO_METADATA, new Height(0, i));
            }
            cache.apply(batch, 0, false);
            final ExecutorService pool = Executors.newFixedThreadPool(4,
                    runnable -> new Thread(runnable, "cache-reader"));
            try {
                final List<Future<Integer>> wrong = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    final int seed = t;
                    wrong.add(pool.submit(() -> {
                        final Random random = new Random(seed);
                        int mismatches = 0;
                        for (int n = 0; n < 50_000; n++) {
                            final int i = random.nextInt(200);
                            if (!cache.valueView("ns", "key" + i).toStringUtf8().equals("value" + i)) {
                                mismatches++;
                            }
                        }
                        return mismatches;
                    }));
                }
                for (Future<Integer> future : wrong) {
                    assertThat(future.get(2, TimeUnit.MINUTES)).isZero();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(cache.stats().misses()).isLessThanOrEqualTo(200 * 4);
        }
    }
}
