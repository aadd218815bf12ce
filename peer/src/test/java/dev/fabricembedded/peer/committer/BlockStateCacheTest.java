package dev.fabricembedded.peer.committer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.scc.vscc.StateReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockStateCache}: one committed read per key and block; a block validated ahead takes the values the block
 * before it read instead of reading the committed state, and {@link BlockStateCache#isUnchanged} compares every value
 * used, wherever it came from, with the committed state.
 */
class BlockStateCacheTest {

    private final Map<String, byte[]> committed = new ConcurrentHashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final StateReader state = (namespace, key) -> {
        synchronized (reads) {
            reads.add(namespace + "/" + key);
        }
        return committed.get(namespace + "/" + key);
    };

    @Test
    void aKeyIsReadOnceAndHandedOutAsACopy() {
        committed.put("lscc/mycc", new byte[] {1});
        BlockStateCache cache = new BlockStateCache(state);

        byte[] first = cache.getState("lscc", "mycc");
        first[0] = 9;

        assertThat(cache.getState("lscc", "mycc")).containsExactly(1);
        assertThat(cache.getState("lscc", "absent")).isNull();
        assertThat(cache.getState("lscc", "absent")).isNull();
        assertThat(reads).containsExactly("lscc/mycc", "lscc/absent");
    }

    @Test
    void aBlockValidatedAheadTakesWhatTheBlocksBeforeItReadAndIsUnchangedOnlyIfTheCommittedStateAgrees() {
        committed.put("lscc/mycc", new byte[] {1});
        committed.put("lscc/other", new byte[] {2});
        BlockStateCache previous = new BlockStateCache(state);
        BlockStateCache middle = new BlockStateCache(state, previous);
        BlockStateCache ahead = new BlockStateCache(state, middle);
        previous.getState("lscc", "mycc");
        middle.getState("lscc", "absent");
        reads.clear();

        assertThat(ahead.getState("lscc", "mycc")).containsExactly(1);
        assertThat(ahead.getState("lscc", "absent")).isNull();
        assertThat(reads).as("values of the blocks before it, no committed read").isEmpty();
        assertThat(ahead.getState("lscc", "other")).containsExactly(2);
        assertThat(reads).containsExactly("lscc/other");

        assertThat(ahead.isUnchanged()).isTrue();
        // a block before it commits a new definition: the value it took from that block's validation is stale
        committed.put("lscc/mycc", new byte[] {3});
        assertThat(ahead.isUnchanged()).isFalse();
        committed.put("lscc/mycc", new byte[] {1});
        committed.put("lscc/absent", new byte[] {4});
        assertThat(ahead.isUnchanged()).isFalse();
    }

    @Test
    void aDetachedCacheNoLongerTakesValuesFromTheBlockBeforeIt() {
        committed.put("lscc/mycc", new byte[] {1});
        BlockStateCache previous = new BlockStateCache(state);
        previous.getState("lscc", "mycc");
        BlockStateCache ahead = new BlockStateCache(state, previous);
        reads.clear();

        ahead.detach();

        assertThat(ahead.getState("lscc", "mycc")).containsExactly(1);
        assertThat(reads).containsExactly("lscc/mycc");
    }
}
