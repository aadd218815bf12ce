package dev.fabricembedded.ledger.state;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The state cache's open-addressing table on its own: probing, removal markers, growth, CLOCK, concurrent readers. */
class StateCacheTableTest {
    private static final long UNBOUNDED = Long.MAX_VALUE;

    private static byte[] key(final String key) {
        return StateKey.encode("ns", key);
    }

    private static byte[] stored(final String value) {
        return StoredValue.encode(value.getBytes(StandardCharsets.UTF_8), null, new Height(1, 2));
    }

    private static byte[] entry(final String key, final String value) {
        final byte[] encoded = key(key);
        return StateCacheTable.entry(encoded, Arrays.hashCode(encoded), value == null ? null : stored(value));
    }

    /** The value the table holds for {@code key}, "absent" for an absent-key entry, null if not cached. */
    private static String lookup(final StateCacheTable table, final String key) {
        final byte[] encoded = key(key);
        final byte[] entry = table.get(encoded, Arrays.hashCode(encoded));
        if (entry == null) {
            return null;
        }
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? "absent"
                : new String(StoredValue.value(entry, offset), StandardCharsets.UTF_8);
    }

    @Test
    void anEntryIsFoundByItsKeyOnlyAndAddedOnce() {
        final StateCacheTable table = new StateCacheTable(UNBOUNDED);
        assertThat(table.add(entry("a", "1"))).isTrue();
        assertThat(table.add(entry("ab", "2"))).isTrue();          // its encoded key starts with a's
        assertThat(table.add(entry("gone", null))).isTrue();
        assertThat(table.add(entry("a", "other"))).isFalse();
        assertThat(lookup(table, "a")).isEqualTo("1");
        assertThat(lookup(table, "ab")).isEqualTo("2");
        assertThat(lookup(table, "gone")).isEqualTo("absent");
        assertThat(lookup(table, "b")).isNull();
        assertThat(table.entries()).isEqualTo(3);
        assertThat(table.bytes()).isEqualTo(StateCacheTable.weight(entry("a", "1").length)
                + StateCacheTable.weight(entry("ab", "2").length) + StateCacheTable.weight(entry("gone", null).length));
    }

    @Test
    void updateReplacesOrRemovesACachedKeyAndIgnoresOthers() {
        final StateCacheTable table = new StateCacheTable(UNBOUNDED);
        table.add(entry("a", "1"));
        table.add(entry("b", "1"));
        final byte[] a = key("a");
        table.update(a, Arrays.hashCode(a), entry("a", "longer value"));
        final byte[] b = key("b");
        table.update(b, Arrays.hashCode(b), null);
        final byte[] c = key("c");
        table.update(c, Arrays.hashCode(c), entry("c", "3"));
        assertThat(lookup(table, "a")).isEqualTo("longer value");
        assertThat(lookup(table, "b")).isNull();
        assertThat(lookup(table, "c")).isNull();
        assertThat(table.entries()).isEqualTo(1);
        assertThat(table.bytes()).isEqualTo(StateCacheTable.weight(entry("a", "longer value").length));
    }

    @Test
    void keysWithTheSameHashProbeOnPastRemovedOnesAndReuseTheirSlot() {
        final StateCacheTable table = new StateCacheTable(UNBOUNDED);
        final int hash = 42;                                        // one probe chain for all of them
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            final byte[] key = key("k" + i);
            keys.add(key);
            table.add(StateCacheTable.entry(key, hash, stored("v" + i)));
        }
        table.update(keys.get(2), hash, null);                      // a marker in the middle of the chain
        for (int i = 0; i < 6; i++) {
            assertThat(table.get(keys.get(i), hash) != null).as("k" + i).isEqualTo(i != 2);
        }
        assertThat(table.add(StateCacheTable.entry(keys.get(5), hash, stored("again")))).isFalse();
        assertThat(table.add(StateCacheTable.entry(keys.get(2), hash, stored("back")))).isTrue();
        assertThat(table.entries()).isEqualTo(6);
        final byte[] back = table.get(keys.get(2), hash);
        assertThat(StoredValue.value(back, StateCacheTable.storedOffset(back))).isEqualTo("back".getBytes());
    }

    @Test
    void theTableGrowsAndKeepsEveryEntryAndSurvivesChurn() {
        final StateCacheTable table = new StateCacheTable(UNBOUNDED);
        for (int i = 0; i < 20_000; i++) {
            assertThat(table.add(entry("key" + i, "v" + i))).isTrue();
        }
        for (int round = 0; round < 3; round++) {                   // removals leave markers; clean-ups drop them
            for (int i = round; i < 20_000; i += 3) {
                final byte[] key = key("key" + i);
                table.update(key, Arrays.hashCode(key), null);
                table.add(entry("key" + i, "w" + i));
            }
        }
        assertThat(table.entries()).isEqualTo(20_000);
        for (int i = 0; i < 20_000; i++) {
            assertThat(lookup(table, "key" + i)).isEqualTo("w" + i);
        }
        table.clear();
        assertThat(table.entries()).isZero();
        assertThat(table.bytes()).isZero();
        assertThat(lookup(table, "key1")).isNull();
    }

    @Test
    void clockEvictsAnEntryNotReadBeforeOneThatWasRead() {
        final long weight = StateCacheTable.weight(entry("k0", "v").length);
        final StateCacheTable table = new StateCacheTable(4 * weight);
        for (int i = 0; i < 4; i++) {
            table.add(entry("k" + i, "v"));
        }
        assertThat(table.evictions()).isZero();
        lookup(table, "k1");                                         // reference bits set
        lookup(table, "k3");
        table.add(entry("k4", "v"));                                 // over budget: one entry must go
        assertThat(table.evictions()).isEqualTo(1);
        assertThat(table.entries()).isEqualTo(4);
        assertThat(table.bytes()).isEqualTo(4 * weight);
        final byte[] k1 = key("k1");
        final byte[] k3 = key("k3");
        assertThat(table.peek(k1, Arrays.hashCode(k1))).isNotNull();
        assertThat(table.peek(k3, Arrays.hashCode(k3))).isNotNull();
        int unread = 0;
        for (String key : List.of("k0", "k2", "k4")) {
            final byte[] encoded = key(key);
            unread += table.peek(encoded, Arrays.hashCode(encoded)) == null ? 0 : 1;
        }
        assertThat(unread).isEqualTo(2);
    }

    @Test
    void concurrentReadersSeeOnlyCompleteEntriesOfTheirKeyWhileAnotherThreadAddsEvictsAndGrows() throws Exception {
        final int keys = 2_000;
        // room for about a quarter of the keys: the adder evicts and the table is rebuilt while readers probe it
        final StateCacheTable table = new StateCacheTable(keys / 4 * StateCacheTable.weight(entry("k1000", "v1000").length));
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<String> problems = new CopyOnWriteArrayList<>();
        final List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            final Thread reader = new Thread(() -> {
                long found = 0;
                while (running.get() || found == 0) {
                    final int i = ThreadLocalRandom.current().nextInt(keys);
                    final String value = lookup(table, "k" + i);
                    if (value != null) {
                        found++;
                        if (!value.equals("v" + i)) {
                            problems.add("k" + i + " -> " + value);
                        }
                    }
                }
            }, "table-test-reader-" + r);
            reader.start();
            readers.add(reader);
        }
        try {
            for (int pass = 0; pass < 20; pass++) {
                for (int i = 0; i < keys; i++) {
                    table.add(entry("k" + i, "v" + i));
                }
            }
        } finally {
            running.set(false);
            for (Thread reader : readers) {
                reader.join(60_000);
            }
        }
        assertThat(readers).noneMatch(Thread::isAlive);
        assertThat(problems).isEmpty();
        assertThat(table.evictions()).isPositive();
        // no key is cached twice: the entries counted are exactly the keys found
        int cached = 0;
        for (int i = 0; i < keys; i++) {
            final byte[] key = key("k" + i);
            cached += table.peek(key, Arrays.hashCode(key)) == null ? 0 : 1;
        }
        assertThat(table.entries()).isEqualTo(cached);
    }
}
