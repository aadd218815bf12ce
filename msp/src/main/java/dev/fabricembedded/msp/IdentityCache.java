package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded cache of deserialized identities keyed by their serialized bytes, so that a creator or endorser seen
 * again is not parsed, chained and sanitised again.
 *
 * <p>Reads are lock-free ({@link ConcurrentHashMap}); inserts, which happen only on misses, take one lock and
 * evict with the CLOCK (second-chance) policy Fabric's own identity cache uses: an entry read since the hand
 * last passed survives one more round. Safe for any number of threads.
 *
 * <p>Keys are {@link Key}s rather than the {@link ByteString}s themselves: a lookup is made with bytes just parsed
 * out of a transaction (a fresh {@code ByteString} whose hash is not cached yet), and protobuf's
 * {@code ByteString.hashCode} and {@code equals} walk the ~800 bytes of a serialized certificate one byte at a time
 * (~1 µs per lookup, three lookups per endorser transaction on the committer). A {@code Key} hashes eight bytes at a
 * time and compares with the JDK's vectorized buffer comparison, over every byte in both cases: which entry a lookup
 * finds is unchanged, only the cost of finding it.
 */
final class IdentityCache {

    private static final class Entry {
        final Identity identity;
        volatile boolean referenced;

        Entry(Identity identity) {
            this.identity = identity;
        }
    }

    /**
     * Serialized identity bytes as a map key: a hash of all the bytes read eight at a time, and equality of all the
     * bytes through {@link ByteBuffer#equals} (a vectorized comparison). A lookup key is a view of the caller's
     * {@code ByteString} (no copy); a stored key holds a copy of exactly the identity's bytes, so that the cache
     * never keeps a larger buffer the caller's bytes may be a slice of.
     */
    static final class Key {
        private final ByteBuffer bytes;
        private final int hash;

        private Key(ByteBuffer bytes) {
            this.bytes = bytes;
            this.hash = hash(bytes);
        }

        /** A key viewing the given bytes (no copy for the {@code ByteString}s protobuf parses). */
        static Key of(ByteString serialized) {
            return new Key(serialized.asReadOnlyByteBuffer());
        }

        /** A key holding its own copy of the given bytes. */
        static Key copyOf(ByteString serialized) {
            return new Key(ByteBuffer.wrap(serialized.toByteArray()));
        }

        private static int hash(ByteBuffer bytes) {
            int position = bytes.position();
            int limit = bytes.limit();
            long h = limit - position;
            int i = position;
            for (; i + Long.BYTES <= limit; i += Long.BYTES) {
                h = h * 0x9E3779B97F4A7C15L + bytes.getLong(i);
            }
            for (; i < limit; i++) {
                h = h * 31 + bytes.get(i);
            }
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            return (int) (h ^ (h >>> 32));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof Key key && key.hash == hash && key.bytes.equals(bytes);
        }
    }

    private final int capacity;
    private final ConcurrentHashMap<Key, Entry> entries;
    private final Key[] ring;
    private final Object insertLock = new Object();
    private int size;
    private int hand;

    IdentityCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("identity cache capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.max(16, capacity * 4 / 3 + 1));
        this.ring = new Key[capacity];
    }

    /** The cached identity for these bytes, or {@code null}. */
    Identity get(ByteString serialized) {
        Entry entry = entries.get(Key.of(serialized));
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
        Key key = Key.copyOf(serialized);
        synchronized (insertLock) {
            if (entries.containsKey(key)) {
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
            ring[slot] = key;
            entries.put(key, new Entry(identity));
        }
    }

    /** Number of cached identities. */
    int size() {
        return entries.size();
    }
}
