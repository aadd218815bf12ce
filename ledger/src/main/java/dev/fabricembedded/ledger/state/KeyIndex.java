package dev.fabricembedded.ledger.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The sorted set of every encoded key in the world state, kept in memory because Chronicle Map is a hash map
 * and cannot scan a range. Rebuilt from the map at open (keys are sorted once, then appended in order, which a
 * skip list takes in linear time); maintained by the state commit.
 *
 * <p>Memory: the key bytes plus ~40 bytes per key (about 800 MB of heap for 10 M keys of 40 bytes).
 * Thread safety: a concurrent skip list, so iteration never fails; the ledger's state lock keeps it unchanged
 * while readers use it.
 */
final class KeyIndex {
    private final ConcurrentSkipListSet<byte[]> keys = new ConcurrentSkipListSet<>(Arrays::compareUnsigned);

    /** Builds the index from unsorted keys (the list is sorted in place). */
    static KeyIndex of(final List<byte[]> unsorted) {
        final byte[][] array = unsorted.toArray(new byte[0][]);
        Arrays.parallelSort(array, Arrays::compareUnsigned);
        final KeyIndex index = new KeyIndex();
        for (byte[] key : array) {
            index.keys.add(key);
        }
        return index;
    }

    void add(final byte[] key) {
        keys.add(key);
    }

    void remove(final byte[] key) {
        keys.remove(key);
    }

    int size() {
        return keys.size();
    }

    /**
     * Keys in [{@code from}, {@code to}) (or [{@code from}, {@code to}] if {@code toInclusive});
     * {@code to} null: unbounded.
     */
    Iterator<byte[]> range(final byte[] from, final byte[] to, final boolean toInclusive) {
        final NavigableSet<byte[]> view;
        if (to == null) {
            view = keys.tailSet(from, true);
        } else {
            final int order = Arrays.compareUnsigned(from, to);
            if (order > 0 || (order == 0 && !toInclusive)) {
                return Collections.emptyIterator();
            }
            view = keys.subSet(from, true, to, toInclusive);
        }
        return view.iterator();
    }
}
