package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded cache of deserialized identities keyed by their serialized bytes, so that a creator or endorser seen
 * again is not parsed, chained and sanitised again.
 *
 * <p>Reads are lock-free ({@link ConcurrentHashMap}); inserts, which happen only on misses, take one lock and
 * evict with the CLOCK (second-chance) policy Fabric's own identity cache uses: an entry read since the hand
 * last passed survives one more round. Safe for any number of threads.
 */
final class IdentityCache {

    private static final class Entry {
        final Identity identity;
        volatile boolean referenced;

        Entry(Identity identity) {
            this.identity = identity;
        }
    }

    private final int capacity;
    private final ConcurrentHashMap<ByteString, Entry> entries;
    private final ByteString[] ring;
    private final Object insertLock = new Object();
    private int size;
    private int hand;

    IdentityCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("identity cache capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.max(16, capacity * 4 / 3 + 1));
        this.ring = new ByteString[capacity];
    }

    /** The cached identity for these bytes, or {@code null}. */
    Identity get(ByteString serialized) {
        Entry entry = entries.get(serialized);
        if (entry == null) {
            return null;
        }
        if (!entry.referenced) {
            entry.referenced = true;
        }
        return entry.identity;
    }

    /** Caches an identity, evicting one entry when full. */
    void put(ByteString serialized, Identity identity) {
        if (capacity == 0) {
            return;
        }
        synchronized (insertLock) {
            if (entries.containsKey(serialized)) {
                return;
            }
            int slot;
            if (size < capacity) {
                slot = size++;
            } else {
                while (true) {
                    Entry candidate = entries.get(ring[hand]);
                    if (candidate != null && candidate.referenced) {
                        candidate.referenced = false;
                        hand = (hand + 1) % capacity;
                        continue;
                    }
                    entries.remove(ring[hand]);
                    slot = hand;
                    hand = (hand + 1) % capacity;
                    break;
                }
            }
            ring[slot] = serialized;
            entries.put(serialized, new Entry(identity));
        }
    }

    /** Number of cached identities. */
    int size() {
        return entries.size();
    }
}
