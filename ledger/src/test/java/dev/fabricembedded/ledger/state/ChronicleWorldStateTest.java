package dev.fabricembedded.ledger.state;

import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.ledger.storage.MapSizing;
import dev.fabricembedded.ledger.storage.PersistedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChronicleWorldStateTest {
    @TempDir
    Path dir;

    private static final byte[] SAVEPOINT_KEY = {0, 's', 'a', 'v', 'e', 'p', 'o', 'i', 'n', 't'};
    private static final StateLimits LIMITS = new StateLimits(1024, 4096, 1024);

    private ChronicleWorldState open(final long entries) {
        return ChronicleWorldState.open(dir, new MapSizing(entries, 16, 32, LIMITS.maxEntrySize(), 2.0), LIMITS,
                false);
    }

    private static List<String> keys(final WorldState state, final String ns, final String start, final String end) {
        final List<String> keys = new ArrayList<>();
        state.range(ns, start, end).forEachRemaining(kv -> keys.add(kv.key()));
        return keys;
    }

    @Test
    void appliesBatchesAndRebuildsItsSortedIndexOnOpen() {
        try (ChronicleWorldState state = open(100)) {
            final UpdateBatch batch = new UpdateBatch();
            for (String key : new String[]{"b", "a", "c", "\u0000ck\u0000", "z"}) {
                batch.put(StateKey.of("ns", key), key.getBytes(), new byte[0], new Height(0, 1));
            }
            batch.put(StateKey.of("ns2", "a"), new byte[]{1}, new byte[]{9}, new Height(0, 2));
            state.apply(batch, 0, false);
            final UpdateBatch second = new UpdateBatch();
            second.delete(StateKey.of("ns", "z"), new Height(1, 0));
            second.delete(StateKey.of("ns", "never"), new Height(1, 0));
            state.apply(second, 1, false);

            assertThat(state.savepoint()).isEqualTo(1);
            assertThat(state.size()).isEqualTo(5);
            assertThat(keys(state, "ns", "", "")).containsExactly("\u0000ck\u0000", "a", "b", "c");
            assertThat(keys(state, "ns", "b", "")).containsExactly("b", "c");
            assertThat(keys(state, "ns", "c", "a")).isEmpty();
            assertThat(state.get("ns2", "a").metadata()).containsExactly(9);
        }
        try (ChronicleWorldState state = open(100)) {
            assertThat(keys(state, "ns", "", "")).containsExactly("\u0000ck\u0000", "a", "b", "c");
            assertThat(state.size()).isEqualTo(5);
            assertThat(state.version(StateKey.of("ns", "a"))).isEqualTo(new Height(0, 1));
            assertThat(state.savepoint()).isEqualTo(1);
        }
    }

    @Test
    void theByteBudgetIsEnforcedAsWellAsTheEntryCount() {
        try (ChronicleWorldState state = open(10)) {
            // 10 entries x (16 + 32) bytes = 480 bytes of budget: two 300-byte values do not fit
            final UpdateBatch batch = new UpdateBatch();
            batch.put(StateKey.of("ns", "x"), new byte[300], new byte[0], new Height(0, 0));
            batch.put(StateKey.of("ns", "y"), new byte[300], new byte[0], new Height(0, 0));
            assertThatThrownBy(() -> state.checkCapacity(batch, 0)).isInstanceOf(BlockRejectedException.class)
                    .hasMessageContaining("but the state was sized for 480 bytes");
            final UpdateBatch one = new UpdateBatch();
            one.put(StateKey.of("ns", "x"), new byte[300], new byte[0], new Height(0, 0));
            state.checkCapacity(one, 0);
            state.apply(one, 0, false);
            assertThat(state.bytesUsed()).isEqualTo(StateKey.of("ns", "x").bytes().length + 16 + 300);
        }
    }

    @Test
    void openingCompletesTheJournaledBlockAfterTheSavepointAndOnlyThatOne() {
        try (ChronicleWorldState state = open(100)) {
            final UpdateBatch four = new UpdateBatch();
            four.put(StateKey.of("ns", "kept"), "v4".getBytes(), new byte[0], new Height(4, 0));
            four.put(StateKey.of("ns", "deleted"), "v4".getBytes(), new byte[0], new Height(4, 1));
            state.apply(four, 4, false);
            final UpdateBatch five = new UpdateBatch();
            five.put(StateKey.of("ns", "kept"), "v5".getBytes(), new byte[]{1, 2}, new Height(5, 0));
            five.delete(StateKey.of("ns", "deleted"), new Height(5, 1));
            five.put(StateKey.of("ns", "new"), "n5".getBytes(), new byte[0], new Height(5, 2));
            state.apply(five, 5, false);
        }
        // a crash in block 5's writes: "kept" torn and removed by Chronicle's recovery, "new" not written yet
        try (PersistedMap map = PersistedMap.open(dir.resolve(ChronicleWorldState.FILE_NAME),
                new MapSizing(100, 16, 32, LIMITS.maxEntrySize(), 2.0), "state", false)) {
            map.map().remove(StateKey.of("ns", "kept").bytes());
            map.map().remove(StateKey.of("ns", "new").bytes());
            map.map().put(SAVEPOINT_KEY, ByteBuffer.allocate(8).putLong(4).array());
        }
        try (ChronicleWorldState state = open(100)) {
            assertThat(state.savepoint()).isEqualTo(5);
            assertThat(state.get("ns", "kept").value()).isEqualTo("v5".getBytes());
            assertThat(state.get("ns", "kept").metadata()).containsExactly(1, 2);
            assertThat(state.get("ns", "deleted")).isNull();
            assertThat(state.get("ns", "new").version()).isEqualTo(new Height(5, 2));
            assertThat(keys(state, "ns", "", "")).containsExactly("kept", "new");
            assertThat(state.size()).isEqualTo(2);
        }
        // the journal of a block at or below the savepoint is history: a key changed since is left alone
        try (PersistedMap map = PersistedMap.open(dir.resolve(ChronicleWorldState.FILE_NAME),
                new MapSizing(100, 16, 32, LIMITS.maxEntrySize(), 2.0), "state", false)) {
            map.map().remove(StateKey.of("ns", "new").bytes());
        }
        try (ChronicleWorldState state = open(100)) {
            assertThat(state.savepoint()).isEqualTo(5);
            assertThat(state.get("ns", "new")).isNull();
        }
    }

    @Test
    void keyOrderIsUtf8ByteOrder() {
        final List<String> keys = new ArrayList<>(List.of("\uFFFD", "\uD83D\uDE00", "b", "\u0000", "ab", "a"));
        keys.sort(KeyOrder.INSTANCE);
        assertThat(keys).containsExactly("\u0000", "a", "ab", "b", "\uFFFD", "\uD83D\uDE00");
        final List<StateKey> encoded = new ArrayList<>();
        for (String key : List.of("\uD83D\uDE00", "\uFFFD", "b")) {
            encoded.add(StateKey.of("ns", key));
        }
        encoded.sort(null);
        assertThat(encoded).extracting(StateKey::key).containsExactly("b", "\uFFFD", "\uD83D\uDE00");
        assertThat(StateKey.of("ns", "k\u00e9y").namespace()).isEqualTo("ns");
        assertThat(StateKey.of("ns", "k\u00e9y").key()).isEqualTo("k\u00e9y");
    }
}
