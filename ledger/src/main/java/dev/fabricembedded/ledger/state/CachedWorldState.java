package dev.fabricembedded.ledger.state;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded, write-through cache of committed point reads in front of the persisted {@link ChronicleWorldState}:
 * Fabric's state cache ({@code ledger.state.couchDBConfig.cacheSize}), for the same reason. A random lookup in a
 * persisted Chronicle Map of a million entries costs ~2.5x a {@code ConcurrentHashMap} probe (segment lock,
 * hashing, TLB misses over the file mapping); a hit here reads a table slot and the entry array it points to
 * ({@link StateCacheTable}), then copies the value out.
 *
 * <p>What is cached: per (namespace, key), what a point read returns (value, metadata and version, in the map's
 * own byte layout after the encoded key, one array per entry), or that the key is absent. {@link #get},
 * {@link #value}, {@link #version} and {@link #versionedMetadata} read through the cache and fill it on a miss;
 * range scans, the key index, the savepoint and the capacity check go to the underlying state as before.
 *
 * <p>Consistency: the cache never holds anything the underlying state does not. It is filled only from the
 * underlying state, and changed only by {@link #apply}, which writes the batch to the underlying state first and
 * then replaces the cached entries of the keys the batch touches (keys not cached stay uncached: a commit does not
 * push the cache's working set out). {@link #apply} runs on the committing thread while it holds the ledger's
 * exclusive state lock, and readers hold the shared lock, so no reader sees the two disagree. If the underlying
 * apply fails part-way the cache is cleared (the ledger then refuses every call until it is reopened anyway); a
 * block refused before {@link #apply} (capacity check) changes nothing. Nothing of the cache is persisted: it
 * starts empty at every open, and recovery re-applies blocks through {@link #apply} like a commit.
 *
 * <p>Bound: the sum of an estimate of the heap each entry holds (its array and its share of the table) stays at
 * most {@code maxBytes} after every insertion; an entry larger than an eighth of the budget is not cached, and once
 * the cache is full only one miss in 16 is admitted (otherwise a working set larger than the cache would evict an
 * entry on every miss). Eviction is CLOCK over the table's slots ({@link StateCacheTable}). A hit takes no lock.
 *
 * <p>Values handed out are copies: callers (chaincodes, through the simulator) may modify what they get without
 * touching the cache. The copy is the same one the uncached path makes out of the memory-mapped file.
 *
 * <p>Thread ownership: as {@link WorldState}; any number of readers under the shared state lock, one writer under
 * the exclusive one. The cache's own table is safe for concurrent readers filling it.
 */
public final class CachedWorldState implements WorldState {
    /**
     * Each thread's buffer for encoding a looked-up key ({@link #entry}); keys that do not fit take the allocating
     * path. Per thread rather than per reader because a simulator's reads may come from more than one thread.
     */
    private static final ThreadLocal<byte[]> KEY_BUFFER = ThreadLocal.withInitial(() -> new byte[256]);

    /** Once the cache is full, one miss in this many is admitted (see {@link #admit}). */
    private static final int FULL_ADMISSION = 16;

    private final ChronicleWorldState state;
    private final long maxBytes;
    private final long maxEntryBytes;
    private final StateCacheTable table;
    /** Without an atomic instruction per hit (see {@link HitCounter}); misses are slow anyway. */
    private final HitCounter hits = new HitCounter();
    private final LongAdder misses = new LongAdder();

    /**
     * Hit, miss and eviction counts since open, and the current size.
     *
     * @param hits      point reads answered from the cache (exact for one reader thread; with several, a little low
     *                  if two of them share a {@link HitCounter} stripe)
     * @param misses    point reads that went to the underlying state (filling the cache if admitted)
     * @param evictions entries evicted to stay within the budget
     * @param entries   entries now cached (absent keys included)
     * @param bytes     their estimated heap, at most the budget
     */
    public record Stats(long hits, long misses, long evictions, long entries, long bytes) {
    }

    /**
     * @param state    the state to cache (owned: closed with this one)
     * @param maxBytes the budget of estimated heap, at least 1
     */
    public CachedWorldState(final ChronicleWorldState state, final long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("state cache size must be at least 1 byte, was " + maxBytes);
        }
        this.state = state;
        this.maxBytes = maxBytes;
        this.maxEntryBytes = Math.max(1, maxBytes / 8);
        this.table = new StateCacheTable(maxBytes);
    }

    @Override
    public VersionedValue get(final StateKey key) {
        final byte[] entry = lookup(key.bytes(), key.hashCode());
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.decode(entry, offset);
    }

    @Override
    public byte[] value(final StateKey key) {
        final byte[] entry = lookup(key.bytes(), key.hashCode());
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.value(entry, offset);
    }

    /** A view of the cached bytes themselves: an entry is replaced by a commit, never changed in place. */
    @Override
    public ValueView view(final StateKey key) {
        final byte[] entry = lookup(key.bytes(), key.hashCode());
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.view(entry, offset);
    }

    /**
     * {@link #view(StateKey)} of (namespace, key), a hit answered from the Strings (see {@link #entry}).
     */
    @Override
    public ValueView view(final String namespace, final String key) {
        final byte[] entry = entry(namespace, key);
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.view(entry, offset);
    }

    /** {@link #valueView} of (namespace, key), a hit answered from the Strings (see {@link #entry}). */
    @Override
    public ByteString valueView(final String namespace, final String key) {
        final byte[] entry = entry(namespace, key);
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.valueView(entry, offset);
    }

    /** {@link #value(StateKey)} of (namespace, key), a hit answered from the Strings (see {@link #entry}). */
    @Override
    public byte[] value(final String namespace, final String key) {
        final byte[] entry = entry(namespace, key);
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.value(entry, offset);
    }

    @Override
    public Height version(final StateKey key) {
        final byte[] entry = lookup(key.bytes(), key.hashCode());
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.version(entry, offset);
    }

    @Override
    public VersionedMetadata versionedMetadata(final StateKey key) {
        final byte[] entry = lookup(key.bytes(), key.hashCode());
        final int offset = StateCacheTable.storedOffset(entry);
        return entry.length == offset ? null : StoredValue.versionedMetadata(entry, offset);
    }

    /**
     * The entry of (namespace, key), a hit found without allocating: the key is encoded into the calling thread's
     * buffer ({@link StateKey#encodeAscii}) and its hash taken from the Strings' cached hashes. Over a million
     * keys, allocating the encoded key and a {@link StateKey} for every read cost ~10 % of a hit, and comparing the
     * cached key with the Strings' characters in place instead of encoding was slower than either: its loop, which
     * stops at the first difference, keeps the CPU from running ahead (PERFORMANCE.md, ledger, session 7). A miss,
     * a key outside ASCII or longer than the buffer, or an invalid one is encoded with its checks
     * ({@link StateKey#checked}) and looked up as {@link #lookup} does.
     *
     * @throws IllegalArgumentException if the namespace or key is not valid
     */
    private byte[] entry(final String namespace, final String key) {
        final byte[] buffer = KEY_BUFFER.get();
        final int length = StateKey.encodeAscii(namespace, key, buffer);
        if (length > 0) {
            final byte[] entry = table.get(buffer, length, StateKey.hash(namespace, key));
            if (entry != null) {
                hits.increment();
                return entry;
            }
        }
        final StateKey stateKey = StateKey.checked(namespace, key);
        // probed above already if the buffer took the key: go straight to the state
        return length > 0 ? miss(stateKey.bytes(), stateKey.hashCode())
                : lookup(stateKey.bytes(), stateKey.hashCode());
    }

    /**
     * The entry of {@code key} ({@link StateCacheTable#entry}) from the cache, or else made from the state, filling
     * the cache if admitted.
     */
    private byte[] lookup(final byte[] key, final int hash) {
        final byte[] cached = table.get(key, hash);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        return miss(key, hash);
    }

    /** The entry of {@code key}, not cached: made from the state, and added to the cache if admitted. */
    private byte[] miss(final byte[] key, final int hash) {
        misses.increment();
        final byte[] entry = StateCacheTable.entry(key, hash, state.stored(key));
        final long weight = StateCacheTable.weight(entry.length);
        if (weight <= maxEntryBytes && admit(weight)) {
            table.add(entry);
        }
        return entry;
    }

    /**
     * Whether a missed entry goes into the cache: always while it fits, one miss in 16 once
     * the cache is full. When the working set is larger than the cache, admitting every miss would evict an entry
     * per miss, and the churn (entries promoted to the old generation only to die there) costs more than the hits
     * it buys; a key read often still gets in after a few misses.
     */
    private boolean admit(final long weight) {
        return table.bytes() + weight <= maxBytes || ThreadLocalRandom.current().nextInt(FULL_ADMISSION) == 0;
    }

    @Override
    public Iterator<VersionedKV> range(final String namespace, final String startKey, final String endKey) {
        return state.range(namespace, startKey, endKey);
    }

    @Override
    public long savepoint() {
        return state.savepoint();
    }

    @Override
    public long size() {
        return state.size();
    }

    @Override
    public long capacity() {
        return state.capacity();
    }

    @Override
    public StateLimits limits() {
        return state.limits();
    }

    @Override
    public void checkCapacity(final UpdateBatch batch, final long blockNumber) {
        state.checkCapacity(batch, blockNumber);
    }

    /**
     * Applies the batch to the underlying state, then brings the cached entries of its keys up to date (a put
     * replaces the stored form, a delete records the key as absent); keys not cached are left uncached. During
     * recovery the touched entries are dropped instead (the cache is nearly empty at open anyway, and the next
     * read fetches what the underlying state holds).
     */
    @Override
    public void apply(final UpdateBatch batch, final long blockNumber, final boolean recovering) {
        try {
            state.apply(batch, blockNumber, recovering);
        } catch (RuntimeException e) {
            clear();
            throw e;
        }
        if (table.entries() == 0) {
            return;
        }
        for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
            final byte[] key = change.getKey().bytes();
            final int hash = change.getKey().hashCode();
            if (table.peek(key, hash) == null) {
                continue;
            }
            final UpdateBatch.Write write = change.getValue();
            byte[] replacement = null;
            if (!recovering) {
                replacement = StateCacheTable.entry(key, hash, write.isDelete() ? null
                        : StoredValue.encode(write.value(), write.metadata(), write.version()));
                if (StateCacheTable.weight(replacement.length) > maxEntryBytes) {
                    replacement = null;
                }
            }
            table.update(key, hash, replacement);
        }
        table.evictToBudget();
    }

    /** Empties the cache (its counters are kept). */
    public void clear() {
        table.clear();
    }

    /** The budget this cache was created with, in bytes of estimated heap. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The counters and current size. */
    public Stats stats() {
        return new Stats(hits.sum(), misses.sum(), table.evictions(), table.entries(), table.bytes());
    }

    /** Empties the cache and closes the underlying state. */
    @Override
    public void close() {
        clear();
        state.close();
    }
}
