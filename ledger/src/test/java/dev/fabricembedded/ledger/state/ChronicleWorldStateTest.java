package dev.fabricembedded.ledger.state;

import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.ledger.storage.MapSizing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChronicleWorldStateTest {
    @TempDir
    Path dir;

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
    void reapplyingABlockAfterACrashLeavesKeysItAlreadyWrote() {
        try (ChronicleWorldState state = open(100)) {
            final UpdateBatch partial = new UpdateBatch();
            partial.put(StateKey.of("ns", "done"), "final".getBytes(), new byte[0], new Height(5, 3));
            state.apply(partial, 4, false); // as if block 5 stopped half way, savepoint still 4

            final UpdateBatch replay = new UpdateBatch();
            replay.put(StateKey.of("ns", "done"), "recomputed-from-final-state".getBytes(), new byte[0],
                    new Height(5, 3));
            replay.put(StateKey.of("ns", "missing"), "new".getBytes(), new byte[0], new Height(5, 4));
            state.apply(replay, 5, true);

            assertThat(state.get("ns", "done").value()).isEqualTo("final".getBytes());
            assertThat(state.get("ns", "missing").value()).isEqualTo("new".getBytes());
            assertThat(state.savepoint()).isEqualTo(5);
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
