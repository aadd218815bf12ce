package dev.fabricembedded.ledger.state;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded, write-through cache of committed point reads in front of another {@link WorldState} (the persisted
 * Chronicle Map): Fabric's state cache ({@code ledger.state.couchDBConfig.cacheSize}), for the same reason. A
 * random lookup in a persisted Chronicle Map of a million entries costs ~2.5x a {@code ConcurrentHashMap} probe
 * (segment lock, hashing, TLB misses over the file mapping); a hit here is one {@code ConcurrentHashMap} probe
 * plus the copy of the value out.
 *
 * <p>What is cached: per (namespace, key), what a point read returns (value, metadata and version, in the
 * store's own byte layout, one array per entry), or that the key is absent. {@link #get}, {@link #value},
 * {@link #version} and {@link #versionedMetadata} read through the cache and fill it on a miss; range scans,
 * the key index, the savepoint and the capacity check go to the underlying state as before.
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
 * <p>Bound: the sum of an estimate of the heap each entry holds (key and stored arrays, the entry object, the
 * hash map node and table slot) stays at most {@code maxBytes} after every insertion; an entry larger than an
 * eighth of the budget is not cached. Eviction is CLOCK over the hash map's own iteration order: a hit sets the
 * entry's reference bit (a plain write, skipped if already set); an insertion that takes the cache over its budget
 * moves the hand (a long-lived weakly consistent iterator of the map, under a lock only inserters and the
 * committer take), clearing set bits and evicting the first entry found clear, until the cache fits again. A hit
 * takes no lock.
 *
 * <p>Values handed out are copies: callers (chaincodes, through the simulator) may modify what they get without
 * touching the cache. The copy is the same one the uncached path makes out of the memory-mapped file.
 *
 * <p>Thread ownership: as {@link WorldState}; any number of readers under the shared state lock, one writer under
 * the exclusive one. The cache's own structures are thread-safe for concurrent readers filling it.
 */
public final class CachedWorldState implements WorldState {
    /**
     * Estimated heap of an entry besides its two arrays: the {@link Entry} object (24), the hash map node (32) and
     * the table slot at the map's load factor (~8), array headers (2 x 16).
     */
    static final int ENTRY_OVERHEAD = 24 + 32 + 8 + 32;
    private static final byte[] ABSENT = new byte[0];

    private final WorldState state;
    private final long maxBytes;
    private final long maxEntryBytes;
    private final ConcurrentHashMap<Entry, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final ReentrantLock clockLock = new ReentrantLock();
    /** The CLOCK hand; guarded by {@link #clockLock}. */
    private Iterator<Entry> hand;

    /**
     * Hit, miss and eviction counts since open, and the current size.
     *
     * @param hits      point reads answered from the cache
     * @param misses    point reads that went to the underlying state (and filled the cache)
     * @param evictions entries evicted to stay within the budget
     * @param entries   entries now cached (absent keys included)
     * @param bytes     their estimated heap, at most the budget
     */
    public record Stats(long hits, long misses, long evictions, long entries, long bytes) {
    }

    /**
     * One cached key and what a point read of it returns. Also the probe of a lookup (with no stored form):
     * equality and hash are those of the encoded key only.
     */
    private static final class Entry {
        final byte[] key;
        final int hash;
        /** The stored form ({@link StoredValue}), or {@link #ABSENT}; replaced only by the committer. */
        volatile byte[] stored;
        /** CLOCK reference bit: set by hits, cleared by the hand. A racy hint, hence not volatile. */
        boolean referenced;

        Entry(final byte[] key, final int hash) {
            this.key = key;
            this.hash = hash;
        }

        long weight() {
            return weight(key.length, stored.length);
        }

        static long weight(final int keyLength, final int storedLength) {
            return ENTRY_OVERHEAD + align(keyLength) + align(storedLength);
        }

        private static long align(final int length) {
            return (length + 7L) & ~7L;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof Entry that && Arrays.equals(key, that.key);
        }
    }

    /**
     * @param state    the state to cache (owned: closed with this one)
     * @param maxBytes the budget of estimated heap, at least 1
     */
    public CachedWorldState(final WorldState state, final long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("state cache size must be at least 1 byte, was " + maxBytes);
        }
        this.state = state;
        this.maxBytes = maxBytes;
        this.maxEntryBytes = Math.max(1, maxBytes / 8);
    }

    @Override
    public VersionedValue get(final StateKey key) {
        final byte[] stored = lookup(key.bytes(), key.hashCode());
        return stored == ABSENT ? null : StoredValue.decode(stored);
    }

    @Override
    public byte[] value(final byte[] encodedKey) {
        final byte[] stored = lookup(encodedKey, Arrays.hashCode(encodedKey));
        return stored == ABSENT ? null : StoredValue.value(stored);
    }

    @Override
    public Height version(final StateKey key) {
        final byte[] stored = lookup(key.bytes(), key.hashCode());
        return stored == ABSENT ? null : StoredValue.version(stored);
    }

    @Override
    public VersionedMetadata versionedMetadata(final StateKey key) {
        final byte[] stored = lookup(key.bytes(), key.hashCode());
        return stored == ABSENT ? null : StoredValue.versionedMetadata(stored);
    }

    /** The stored form of {@code key} (or {@link #ABSENT}), from the cache or else the state (filling the cache). */
    private byte[] lookup(final byte[] key, final int hash) {
        final Entry cached = entries.get(new Entry(key, hash));
        if (cached != null) {
            if (!cached.referenced) {
                cached.referenced = true;
            }
            hits.increment();
            return cached.stored;
        }
        misses.increment();
        final VersionedValue read = state.get(StateKey.fromBytes(key));
        final byte[] stored = read == null ? ABSENT : StoredValue.encode(read.value(), read.metadata(), read.version());
        if (Entry.weight(key.length, stored.length) <= maxEntryBytes) {
            // the caller's key array may be reused by it: the cache keeps its own copy
            final Entry entry = new Entry(key.clone(), hash);
            entry.stored = stored;
            if (entries.putIfAbsent(entry, entry) == null) {
                added(entry.weight());
            }
        }
        return stored;
    }

    private void added(final long weight) {
        if (bytes.addAndGet(weight) > maxBytes) {
            evict();
        }
    }

    /** Moves the CLOCK hand until the cache is within its budget. */
    private void evict() {
        clockLock.lock();
        try {
            // two laps at most clear every bit and then find a victim; the bound guards against concurrent refills
            long steps = 2L * entries.size() + 2;
            while (bytes.get() > maxBytes && steps-- > 0) {
                if (hand == null || !hand.hasNext()) {
                    hand = entries.keySet().iterator();
                    if (!hand.hasNext()) {
                        return;
                    }
                }
                final Entry entry = hand.next();
                if (entry.referenced) {
                    entry.referenced = false;
                } else if (entries.remove(entry, entry)) {
                    bytes.addAndGet(-entry.weight());
                    evictions.increment();
                }
            }
        } finally {
            clockLock.unlock();
        }
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
     * recovery the touched entries are dropped instead: the underlying state may keep a key it had already
     * written before the crash, and the next read fetches whatever it holds.
     */
    @Override
    public void apply(final UpdateBatch batch, final long blockNumber, final boolean recovering) {
        try {
            state.apply(batch, blockNumber, recovering);
        } catch (RuntimeException e) {
            clear();
            throw e;
        }
        if (entries.isEmpty()) {
            return;
        }
        long delta = 0;
        for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
            final StateKey key = change.getKey();
            final Entry cached = entries.get(new Entry(key.bytes(), key.hashCode()));
            if (cached == null) {
                continue;
            }
            final UpdateBatch.Write write = change.getValue();
            final byte[] stored = write.isDelete() ? ABSENT
                    : StoredValue.encode(write.value(), write.metadata(), write.version());
            if (recovering || Entry.weight(cached.key.length, stored.length) > maxEntryBytes) {
                if (entries.remove(cached, cached)) {
                    delta -= cached.weight();
                }
            } else {
                delta -= cached.weight();
                cached.stored = stored;
                delta += cached.weight();
            }
        }
        added(delta);
    }

    /** Empties the cache (its counters are kept). */
    public void clear() {
        clockLock.lock();
        try {
            for (Entry entry : entries.keySet()) {
                if (entries.remove(entry, entry)) {
                    bytes.addAndGet(-entry.weight());
                }
            }
            hand = null;
        } finally {
            clockLock.unlock();
        }
    }

    /** The budget this cache was created with, in bytes of estimated heap. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The counters and current size. */
    public Stats stats() {
        return new Stats(hits.sum(), misses.sum(), evictions.sum(), entries.size(), bytes.get());
    }

    /** Empties the cache and closes the underlying state. */
    @Override
    public void close() {
        clear();
        state.close();
    }
}
