package dev.fabricembedded.ledger.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hash table behind {@link CachedWorldState}: open addressing with linear probing over one array of entry
 * arrays, lock-free for readers, one changer at a time, bounded by an estimate of the heap it holds (CLOCK
 * eviction).
 *
 * <p>Why not a {@code ConcurrentHashMap}: over a million entries nearly every lookup misses the CPU caches at each
 * dependent read, so the number of those reads is what a hit costs. A {@code ConcurrentHashMap} of entry objects
 * reads the table slot, the node, the entry object and its array; here the slot holds the entry array itself
 * (its hash, key and stored form side by side), so a hit reads the slot and the array: two dependent misses
 * instead of four. Measured over a million entries, a probe of this table costs what a bare
 * {@code ConcurrentHashMap.get} of the same keys does (PERFORMANCE.md, ledger, session 6).
 *
 * <p>Entry layout ({@link #entry}): {@code header int | hash int | key | stored form}, the header holding the key's
 * length and, in its top bit, the CLOCK reference bit; the stored form is {@link StoredValue}'s, empty when the
 * entry records that the key is absent. Arrays in the table are never changed except for that bit: an update puts
 * a new array into the slot.
 *
 * <p>Concurrency: {@link #get} takes no lock and writes nothing but the reference bit (only when it is clear).
 * Everything that changes the table ({@link #add}, {@link #update}, {@link #evictToBudget}, {@link #clear}) takes
 * one lock, so there is one changer at a time; slots are published with release stores and read with acquire
 * loads, so a reader sees complete arrays. The probing invariants that make lock-free reads safe: a slot once
 * filled never becomes empty again in that table (removal leaves a {@link #REMOVED} marker, which probes pass
 * over); at most a quarter of the slots are used, markers included, so every probe ends at an empty slot; a resize or
 * a clean-up builds a new table and publishes it whole, and the old one is never changed afterwards (a reader still
 * probing it sees a consistent, if older, table). A reader racing a change may therefore miss an entry that is
 * being added or moved, never see a torn one: it then reads the underlying state, which is correct, and its
 * {@link #add} finds the key present (one changer at a time), so a key is never in the table twice.
 * Whether what a reader finds is <em>current</em> is the ledger's state lock's business, not this table's
 * ({@link CachedWorldState}).
 */
final class StateCacheTable {
    /**
     * Estimated heap of an entry besides its array's contents: the array header (16) and its share of the table's
     * slots (between four and sixteen 4-byte references per entry at the table's load of 1/16 to 1/4: ~32).
     */
    static final int ENTRY_OVERHEAD = 16 + 32;
    /** Bytes before the key in an entry: the header (key length and reference bit) and the key's hash. */
    static final int PREFIX = 8;

    private static final int REFERENCED = 0x8000_0000;
    private static final int MIN_SLOTS = 16;
    /**
     * Slots per used one at most (load factor 1/4). Why so sparse: a probe passing another key's entry reads that
     * entry to compare keys, one more cache miss; at the load of 1/2 allowed before, a hit read 1.46 entries on
     * average, at 1/4 at most 1.17, and over a million keys a hit got ~15 % cheaper for 8 MB more of slots
     * (PERFORMANCE.md, ledger, session 7). Sparser measured no better.
     */
    private static final int SLOTS_PER_USED = 4;
    private static final int MAX_SLOTS = 1 << 30;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(byte[][].class);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** What a removed entry's slot holds: its key length is 0, which no lookup's key has. */
    private static final byte[] REMOVED = new byte[PREFIX];

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    /** The table; replaced whole (resize, clean-up, clear), never emptied slot by slot. */
    private volatile byte[][] slots = new byte[MIN_SLOTS][];
    /** Guarded by {@link #lock}; volatile for {@link #entries()} and {@link #bytes()} from any thread. */
    private volatile int size;
    private volatile long bytes;
    private volatile long evictions;
    /** Guarded by {@link #lock}. */
    private int removed;
    private int hand;

    /** @param maxBytes the budget of estimated heap that {@link #evictToBudget} restores */
    StateCacheTable(final long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * A new entry: {@code key} (encoded, at least one byte) with its hash, followed by {@code stored} (null: the key
     * is absent).
     */
    static byte[] entry(final byte[] key, final int hash, final byte[] stored) {
        final int storedLength = stored == null ? 0 : stored.length;
        final byte[] entry = new byte[PREFIX + key.length + storedLength];
        INT.set(entry, 0, key.length);
        INT.set(entry, 4, hash);
        System.arraycopy(key, 0, entry, PREFIX, key.length);
        if (stored != null) {
            System.arraycopy(stored, 0, entry, PREFIX + key.length, storedLength);
        }
        return entry;
    }

    /** Where the stored form of an entry starts; the entry records an absent key if that is its length. */
    static int storedOffset(final byte[] entry) {
        return PREFIX + keyLength(entry);
    }

    /** The estimated heap an entry of this many bytes holds. */
    static long weight(final int entryLength) {
        return ENTRY_OVERHEAD + ((entryLength + 7L) & ~7L);
    }

    private static int keyLength(final byte[] entry) {
        return (int) INT.get(entry, 0) & ~REFERENCED;
    }

    private static int hash(final byte[] entry) {
        return (int) INT.get(entry, 4);
    }

    /** Fibonacci hashing: the top bits of the hash times 2^32/phi, so keys with close hashes spread apart. */
    private static int home(final int hash, final int length) {
        return (hash * 0x9E37_79B9) >>> (Integer.numberOfLeadingZeros(length) + 1);
    }

    private static boolean holds(final byte[] entry, final byte[] key, final int keyLength, final int from) {
        return keyLength(entry) == keyLength && Arrays.equals(entry, PREFIX, PREFIX + keyLength, key, from,
                from + keyLength);
    }

    /**
     * The entry of {@code key}, or null if it is not cached; sets the entry's reference bit. No lock.
     *
     * @param hash the key's hash ({@link StateKey#hashCode}), the one the entry was made with
     */
    byte[] get(final byte[] key, final int hash) {
        return get(key, key.length, hash);
    }

    /**
     * {@link #get} of the key in {@code key[0, keyLength)}: a lookup may encode its key into a reused buffer instead
     * of a new array ({@link CachedWorldState}).
     */
    byte[] get(final byte[] key, final int keyLength, final int hash) {
        final byte[] entry = peek(key, keyLength, hash);
        if (entry != null) {
            final int header = (int) INT.get(entry, 0);
            if (header >= 0) {
                INT.set(entry, 0, header | REFERENCED);
            }
        }
        return entry;
    }

    /** As {@link #get}, without setting the reference bit (the committer's look before an {@link #update}). */
    byte[] peek(final byte[] key, final int hash) {
        return peek(key, key.length, hash);
    }

    private byte[] peek(final byte[] key, final int keyLength, final int hash) {
        final byte[][] table = slots;
        final int mask = table.length - 1;
        for (int i = home(hash, table.length); ; i = (i + 1) & mask) {
            final byte[] entry = (byte[]) SLOT.getAcquire(table, i);
            if (entry == null || holds(entry, key, keyLength, 0)) {
                return entry;
            }
        }
    }

    /**
     * Adds an entry (made by {@link #entry}) unless its key is cached already, then evicts until the table is
     * within its budget (which may evict the new entry itself).
     *
     * @return whether it was added
     */
    boolean add(final byte[] entry) {
        lock.lock();
        try {
            final byte[][] table = slots;
            final int mask = table.length - 1;
            final int keyLength = keyLength(entry);
            int reusable = -1;
            int i = home(hash(entry), table.length);
            for (byte[] found; (found = table[i]) != null; i = (i + 1) & mask) {
                if (found == REMOVED) {
                    if (reusable < 0) {
                        reusable = i;
                    }
                } else if (holds(found, entry, keyLength, PREFIX)) {
                    return false;
                }
            }
            if (reusable >= 0) {
                i = reusable;
                removed--;
            } else if ((long) SLOTS_PER_USED * (size + removed + 1) > MAX_SLOTS) {
                return false;                           // the largest table is full: no more entries
            }
            SLOT.setRelease(table, i, entry);
            size++;
            bytes += weight(entry.length);
            if ((long) SLOTS_PER_USED * (size + removed) > table.length) {
                rebuild();
            }
            evictToBudget();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the entry of {@code key}, if it is cached, by {@code replacement} (an entry for the same key), or
     * removes it if {@code replacement} is null. Does not evict: the caller calls {@link #evictToBudget} after a
     * batch of updates.
     */
    void update(final byte[] key, final int hash, final byte[] replacement) {
        lock.lock();
        try {
            final byte[][] table = slots;
            final int mask = table.length - 1;
            for (int i = home(hash, table.length); table[i] != null; i = (i + 1) & mask) {
                final byte[] found = table[i];
                if (holds(found, key, key.length, 0)) {
                    if (replacement == null) {
                        remove(table, i);
                    } else {
                        SLOT.setRelease(table, i, replacement);
                        bytes += weight(replacement.length) - weight(found.length);
                    }
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the CLOCK hand over the slots until the estimated heap is within the budget: an entry whose reference
     * bit is set gets it cleared, the first one found clear is removed. Two laps at most.
     */
    void evictToBudget() {
        lock.lock();
        try {
            final byte[][] table = slots;
            final int mask = table.length - 1;
            for (long steps = 2L * table.length; bytes > maxBytes && steps > 0; steps--) {
                hand = (hand + 1) & mask;
                final byte[] entry = table[hand];
                if (entry == null || entry == REMOVED) {
                    continue;
                }
                final int header = (int) INT.get(entry, 0);
                if (header < 0) {
                    INT.set(entry, 0, header & ~REFERENCED);
                } else {
                    remove(table, hand);
                    evictions++;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Empties the table (the eviction count is kept). */
    void clear() {
        lock.lock();
        try {
            slots = new byte[MIN_SLOTS][];
            size = 0;
            removed = 0;
            bytes = 0;
            hand = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Entries cached now (absent keys included). */
    int entries() {
        return size;
    }

    /** Their estimated heap. */
    long bytes() {
        return bytes;
    }

    /** Entries evicted to stay within the budget since creation. */
    long evictions() {
        return evictions;
    }

    /** Lock held. */
    private void remove(final byte[][] table, final int slot) {
        bytes -= weight(table[slot].length);
        SLOT.setRelease(table, slot, REMOVED);
        size--;
        removed++;
    }

    /**
     * Lock held; called when live entries and removal markers fill a quarter of the slots: a table twice as large if
     * live entries fill more than an eighth, otherwise one of the same size without the markers. Built aside and
     * published whole (readers may still be probing the old one).
     */
    private void rebuild() {
        final byte[][] old = slots;
        final int length = 2L * SLOTS_PER_USED * size > old.length ? Math.min(MAX_SLOTS, old.length * 2) : old.length;
        final byte[][] table = new byte[length][];
        final int mask = length - 1;
        for (byte[] entry : old) {
            if (entry != null && entry != REMOVED) {
                int i = home(hash(entry), length);
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = entry;
            }
        }
        removed = 0;
        hand = 0;
        slots = table;
    }
}
