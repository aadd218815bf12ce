package dev.fabricembedded.peer.committer;

import dev.fabricembedded.scc.vscc.StateReader;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link StateReader} that remembers what it read for the duration of one block's validation. Most transactions
 * of a block invoke the same few chaincodes, and each one reads their definition from the lscc namespace; the
 * committed state cannot change until the block is committed (the committer is the only writer and it is busy
 * validating), so one read per key and block is exact. Thread-safe; discarded after the block.
 */
final class BlockStateCache implements StateReader {

    private final StateReader committed;
    private final ConcurrentMap<String, ConcurrentMap<String, Optional<byte[]>>> byNamespace =
            new ConcurrentHashMap<>();

    BlockStateCache(StateReader committed) {
        this.committed = Objects.requireNonNull(committed, "committed");
    }

    @Override
    public byte[] getState(String namespace, String key) {
        ConcurrentMap<String, Optional<byte[]>> keys =
                byNamespace.computeIfAbsent(namespace, ns -> new ConcurrentHashMap<>());
        Optional<byte[]> value = keys.get(key);
        if (value == null) {
            // read outside computeIfAbsent: a failing read must not leave anything behind, and a read may be slow
            value = Optional.ofNullable(committed.getState(namespace, key));
            Optional<byte[]> raced = keys.putIfAbsent(key, value);
            if (raced != null) {
                value = raced;
            }
        }
        return value.map(byte[]::clone).orElse(null);
    }

    /** Whether every value read so far is still the committed one (reads the committed state again). */
    boolean isUnchanged() {
        for (var namespace : byNamespace.entrySet()) {
            for (var entry : namespace.getValue().entrySet()) {
                byte[] now = committed.getState(namespace.getKey(), entry.getKey());
                if (!java.util.Arrays.equals(now, entry.getValue().orElse(null))) {
                    return false;
                }
            }
        }
        return true;
    }
}
