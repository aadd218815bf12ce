package dev.fabricembedded.ipc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spins for a number of empty polls, then yields for a number more, then parks, starting at a minimum pause
 * and doubling up to a maximum. A burst of frames is served at spinning speed; a quiet channel costs one
 * short wake-up per maximum pause (about 500 per second with the default), so dozens of idle channels fit
 * on two cores. The price is latency after a quiet period: up to the maximum pause for the first frame.
 */
public final class SpinYieldParkWaitStrategy implements WaitStrategy {

    /**
     * 100 spins, 400 yields, then parks from 50 µs doubling to 2 ms. Measured on a 2-core x86 VM: a spin-wait
     * hint costs ~27 ns and a yield ~0.5 µs, so that is ~3 µs spinning and ~200 µs yielding, long enough to
     * cover the gaps of an active request/response conversation. A park of 50 µs lasts ~125 µs (Linux timer
     * slack), and every wake-up costs ~20-25 µs of CPU there, so a 2 ms ceiling keeps an idle event-loop thread near 1 %
     * of a core while the first frame after a quiet period waits at most ~2 ms per hop. A waiter that can be woken
     * (a doorbell, an unpark) goes through the same spins and yields and then blocks instead of parking
     * ({@code blockAfter} = spins + yields): with a core to spare, a yielding waiter answers a hop a few µs after
     * the frame lands, where one woken from a FIFO pays the wake-up on the critical path (lead, session 4, quiet
     * machine, one client thread endorsing: 3,700 ops/s blocking after 10 yields, 4,200 after 200, 5,000 after all
     * 400); with two client threads saturating both cores the three settings were within noise (4,700-4,900).
     */
    static final SpinYieldParkWaitStrategy DEFAULT = new SpinYieldParkWaitStrategy(100, 400,
            TimeUnit.MICROSECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(2), 500);

    private final int spins;
    private final int blockAfter;
    private final int yieldsUntil;
    private final long minParkNanos;
    private final long maxParkNanos;

    /**
     * @param spins        empty polls answered by a spin-wait hint
     * @param yields       further empty polls answered by {@link Thread#yield()}
     * @param minParkNanos first park duration
     * @param maxParkNanos longest park duration (the pause doubles until it reaches it)
     */
    public SpinYieldParkWaitStrategy(int spins, int yields, long minParkNanos, long maxParkNanos) {
        this(spins, yields, minParkNanos, maxParkNanos, spins);
    }

    /**
     * @param spins        empty polls answered by a spin-wait hint
     * @param yields       further empty polls answered by {@link Thread#yield()}
     * @param minParkNanos first park duration
     * @param maxParkNanos longest park duration (the pause doubles until it reaches it)
     * @param blockAfter   empty polls (spins first, then yields) after which a waiter that can be woken blocks
     *                     instead of continuing with the yields and parks
     */
    public SpinYieldParkWaitStrategy(int spins, int yields, long minParkNanos, long maxParkNanos, int blockAfter) {
        if (spins < 0 || yields < 0 || blockAfter < 0) {
            throw new IllegalArgumentException("spins, yields and blockAfter must be >= 0, got " + spins + ", " + yields
                    + " and " + blockAfter);
        }
        if (minParkNanos <= 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException(
                    "park durations must satisfy 0 < min <= max, got " + minParkNanos + " and " + maxParkNanos + " ns");
        }
        this.spins = spins;
        this.blockAfter = blockAfter;
        this.yieldsUntil = spins + yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    @Override
    public int blockAfter() {
        return blockAfter;
    }

    @Override
    public void idle(int idleCount) {
        if (idleCount < spins) {
            Thread.onSpinWait();
        } else if (idleCount < yieldsUntil) {
            Thread.yield();
        } else {
            int doublings = Math.min(idleCount - yieldsUntil, 30);
            long pause = minParkNanos << doublings;
            LockSupport.parkNanos(pause <= 0 || pause > maxParkNanos ? maxParkNanos : pause);
        }
    }

    @Override
    public boolean mayPark(int idleCount) {
        return idleCount >= yieldsUntil;
    }

    @Override
    public String toString() {
        return "spinYieldPark(spins=" + spins + ", yields=" + (yieldsUntil - spins) + ", park="
                + minParkNanos / 1000 + ".." + maxParkNanos / 1000 + " µs, blockAfter=" + blockAfter + ")";
    }
}
