package dev.fabricembedded.peer.committer;

import dev.fabricembedded.scc.vscc.StateReader;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link StateReader} that remembers what it read for the duration of one block's validation. Most transactions
 * of a block invoke the same few chaincodes, and each one reads their definition from the lscc namespace; the
 * committed state cannot change until the block is committed (the committer is the only writer and it is busy
 * validating), so one read per key and block is exact. Thread-safe; discarded after the block.
 *
 * <p>A block validated while the blocks before it are committed ({@link TxValidator#startAfter}) has a
 * <b>previous</b> cache, the one of the block before it: a key that block's validation has read is taken from there
 * instead of from the committed state. Such values may be stale, and so may any value read while a block is being
 * committed; that is why such a block is kept only if {@link #isUnchanged} holds once the block before it is
 * committed, which compares every value used, wherever it came from, with the committed state. Taking the value
 * from the previous block also spares the worker the committed state's lock, which a commit in progress holds
 * exclusively (for its whole write and {@code fdatasync}). {@link #detach} drops the link once the block is finished,
 * so that the chain of caches stays as short as the blocks in flight.
 */
final class BlockStateCache implements StateReader {

    private final StateReader committed;
    private final ConcurrentMap<String, ConcurrentMap<String, Optional<byte[]>>> byNamespace =
            new ConcurrentHashMap<>();
    private volatile BlockStateCache previous;

    BlockStateCache(StateReader committed) {
        this(committed, null);
    }

    BlockStateCache(StateReader committed, BlockStateCache previous) {
        this.committed = Objects.requireNonNull(committed, "committed");
        this.previous = previous;
    }

    @Override
    public byte[] getState(String namespace, String key) {
        ConcurrentMap<String, Optional<byte[]>> keys =
                byNamespace.computeIfAbsent(namespace, ns -> new ConcurrentHashMap<>());
        Optional<byte[]> value = keys.get(key);
        if (value == null) {
            value = known(namespace, key, previous);
            if (value == null) {
                // read outside computeIfAbsent: a failing read must not leave anything behind, and a read may be slow
                value = Optional.ofNullable(committed.getState(namespace, key));
            }
            Optional<byte[]> raced = keys.putIfAbsent(key, value);
            if (raced != null) {
                value = raced;
            }
        }
        return value.map(byte[]::clone).orElse(null);
    }

    /** The value the chain of previous caches from {@code cache} on holds for a key (never modified), or null. */
    private static Optional<byte[]> known(String namespace, String key, BlockStateCache cache) {
        for (BlockStateCache c = cache; c != null; c = c.previous) {
            ConcurrentMap<String, Optional<byte[]>> keys = c.byNamespace.get(namespace);
            Optional<byte[]> value = keys != null ? keys.get(key) : null;
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /**
     * Whether every value used so far is still the committed one (reads the committed state again). To be asked
     * once the block before this one is committed and the workers are done with this one.
     */
    boolean isUnchanged() {
        for (var namespace : byNamespace.entrySet()) {
            for (var entry : namespace.getValue().entrySet()) {
                byte[] now = committed.getState(namespace.getKey(), entry.getKey());
                if (!Arrays.equals(now, entry.getValue().orElse(null))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Forgets the previous block's cache (this block's validation is finished or dropped). */
    void detach() {
        previous = null;
    }
}
