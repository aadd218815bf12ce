package dev.fabricembedded.ledger.state;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded, write-through cache of committed point reads in front of the persisted {@link ChronicleWorldState}:
 * Fabric's state cache ({@code ledger.state.couchDBConfig.cacheSize}), for the same reason. A random lookup in a
 * persisted Chronicle Map of a million entries costs ~2.5x a {@code ConcurrentHashMap} probe (segment lock,
 * hashing, TLB misses over the file mapping); a hit here is one {@code ConcurrentHashMap} probe plus the copy of
 * the value out.
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
 * <p>Bound: the sum of an estimate of the heap each entry holds (its array, the entry object, the hash map node
 * and table slot) stays at most {@code maxBytes} after every insertion; an entry larger than an eighth of the
 * budget is not cached, and once the cache is full only one miss in 16 is admitted (otherwise a working set
 * larger than the cache would evict an entry on every miss). Eviction is CLOCK over the hash map's own iteration
 * order: a hit sets the entry's reference bit (a plain write, skipped if already set); an insertion that takes the
 * cache over its budget moves the hand (a long-lived weakly consistent iterator of the map, under a lock only
 * inserters and the committer take), clearing set bits and evicting the first entry found clear, until the cache
 * fits again. A hit takes no lock.
 *
 * <p>Values handed out are copies: callers (chaincodes, through the simulator) may modify what they get without
 * touching the cache. The copy is the same one the uncached path makes out of the memory-mapped file.
 *
 * <p>Thread ownership: as {@link WorldState}; any number of readers under the shared state lock, one writer under
 * the exclusive one. The cache's own structures are thread-safe for concurrent readers filling it.
 */
public final class CachedWorldState implements WorldState {
    /**
     * Estimated heap of an entry besides its key and stored bytes: the {@link Entry} object (32), the hash map
     * node (32), the table slot at the map's load factor (~8) and the array header (16).
     */
    static final int ENTRY_OVERHEAD = 32 + 32 + 8 + 16;
    /** Once the cache is full, one miss in this many is admitted (see {@link #admit}). */
    private static final int FULL_ADMISSION = 16;

    private final ChronicleWorldState state;
    private final long maxBytes;
    private final long maxEntryBytes;
    private final ConcurrentHashMap<Entry, Entry> entries;
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
     * @param misses    point reads that went to the underlying state (filling the cache if admitted)
     * @param evictions entries evicted to stay within the budget
     * @param entries   entries now cached (absent keys included)
     * @param bytes     their estimated heap, at most the budget
     */
    public record Stats(long hits, long misses, long evictions, long entries, long bytes) {
    }

    /**
     * One cached key and what a point read of it returns, in one array: the encoded key, then the stored form
     * ({@link StoredValue}), nothing after the key if the key is absent. One array rather than two saves a
     * dependent cache miss per hit over a large cache. Also the probe of a lookup (holding just the key):
     * equality and hash are those of the key part only.
     */
    private static final class Entry {
        final int keyLength;
        final int hash;
        /**
         * Key and stored form; replaced (never modified) only by the committer while it holds the exclusive state
         * lock, so a reader's later acquisition of the shared lock orders the write before its reads: not volatile
         * (a volatile write would put a fence into every lookup's probe construction).
         */
        byte[] data;
        /** CLOCK reference bit: set by hits, cleared by the hand. A racy hint, hence not volatile. */
        boolean referenced;

        Entry(final byte[] data, final int keyLength, final int hash) {
            this.data = data;
            this.keyLength = keyLength;
            this.hash = hash;
        }

        long weight() {
            return weight(data.length);
        }

        static long weight(final int dataLength) {
            return ENTRY_OVERHEAD + ((dataLength + 7L) & ~7L);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof Entry that && keyLength == that.keyLength
                    && Arrays.equals(data, 0, keyLength, that.data, 0, keyLength);
        }
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
        // sized for what can be cached: a table that grows re-creates part of its nodes at each doubling, far from
        // their entries in the heap (one more page per hit); the table costs 4-8 bytes per slot up front
        this.entries = new ConcurrentHashMap<>((int) Math.min(1 << 29,
                Math.min(state.capacity(), maxBytes / ENTRY_OVERHEAD)));
    }

    @Override
    public VersionedValue get(final StateKey key) {
        final byte[] encoded = key.bytes();
        final byte[] data = lookup(encoded, key.hashCode());
        return data.length == encoded.length ? null : StoredValue.decode(data, encoded.length);
    }

    @Override
    public byte[] value(final byte[] encodedKey) {
        final byte[] data = lookup(encodedKey, Arrays.hashCode(encodedKey));
        return data.length == encodedKey.length ? null : StoredValue.value(data, encodedKey.length);
    }

    @Override
    public Height version(final StateKey key) {
        final byte[] data = lookup(key.bytes(), key.hashCode());
        return data.length == key.bytes().length ? null : StoredValue.version(data, key.bytes().length);
    }

    @Override
    public VersionedMetadata versionedMetadata(final StateKey key) {
        final byte[] data = lookup(key.bytes(), key.hashCode());
        return data.length == key.bytes().length ? null : StoredValue.versionedMetadata(data, key.bytes().length);
    }

    /**
     * The entry data of {@code key} (key, then the stored form if present) from the cache, or else from the
     * state, filling the cache.
     */
    private byte[] lookup(final byte[] key, final int hash) {
        final Entry cached = entries.get(new Entry(key, key.length, hash));
        if (cached != null) {
            if (!cached.referenced) {
                cached.referenced = true;
            }
            hits.increment();
            return cached.data;
        }
        misses.increment();
        final byte[] data = entryData(key, state.stored(key));
        final long weight = Entry.weight(data.length);
        if (weight <= maxEntryBytes && admit(weight)) {
            final Entry entry = new Entry(data, key.length, hash);
            if (entries.putIfAbsent(entry, entry) == null) {
                added(entry.weight());
            }
        }
        return data;
    }

    /** The key followed by the stored form (null: absent); a copy, so the caller's key array is not kept. */
    private static byte[] entryData(final byte[] key, final byte[] stored) {
        if (stored == null) {
            return key.clone();
        }
        final byte[] data = Arrays.copyOf(key, key.length + stored.length);
        System.arraycopy(stored, 0, data, key.length, stored.length);
        return data;
    }

    /**
     * Whether a missed entry goes into the cache: always while it fits, one miss in 16 once
     * the cache is full. When the working set is larger than the cache, admitting every miss would evict an entry
     * per miss, and the churn (entries promoted to the old generation only to die there) costs more than the hits
     * it buys; a key read often still gets in after a few misses.
     */
    private boolean admit(final long weight) {
        return bytes.get() + weight <= maxBytes || ThreadLocalRandom.current().nextInt(FULL_ADMISSION) == 0;
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
        if (entries.isEmpty()) {
            return;
        }
        long delta = 0;
        for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
            final byte[] key = change.getKey().bytes();
            final Entry cached = entries.get(new Entry(key, key.length, change.getKey().hashCode()));
            if (cached == null) {
                continue;
            }
            final UpdateBatch.Write write = change.getValue();
            final byte[] data = entryData(key, write.isDelete() ? null
                    : StoredValue.encode(write.value(), write.metadata(), write.version()));
            if (recovering || Entry.weight(data.length) > maxEntryBytes) {
                if (entries.remove(cached, cached)) {
                    delta -= cached.weight();
                }
            } else {
                delta += Entry.weight(data.length) - cached.weight();
                cached.data = data;
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
