package dev.fabricembedded.ledger.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state cache's count of hits, costing a hit no atomic instruction. Why: the locked add of a
 * {@code LongAdder} on every hit is a full fence on x86, which keeps the CPU from overlapping one read's cache
 * misses with the next read's; over a million keys that was ~10 % of a hit (PERFORMANCE.md, ledger, session 6).
 *
 * <p>Each thread adds to a stripe chosen by its id (one 64-byte line per stripe, so readers on different stripes
 * never share a line) with plain (opaque) reads and writes. Two threads that share a stripe may lose an increment
 * to each other, so the sum is exact for threads on distinct stripes and otherwise a little low, never high: a
 * statistic, not an invariant.
 */
final class HitCounter {
    private static final int STRIPES = 64;
    /** Longs per stripe: one cache line. */
    private static final int PAD = 8;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts = new long[STRIPES * PAD];

    /** Stripe of the calling thread. */
    static int stripe(final Thread thread) {
        return (int) (thread.getId() & (STRIPES - 1));
    }

    void increment() {
        final int i = stripe(Thread.currentThread()) * PAD;
        COUNT.setOpaque(counts, i, (long) COUNT.getOpaque(counts, i) + 1);
    }

    long sum() {
        long sum = 0;
        for (int i = 0; i < counts.length; i += PAD) {
            sum += (long) COUNT.getOpaque(counts, i);
        }
        return sum;
    }
}
