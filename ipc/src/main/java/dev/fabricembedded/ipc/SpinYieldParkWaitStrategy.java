package dev.fabricembedded.ipc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spins for a number of empty polls, then yields for a number more, then parks, starting at a minimum pause
 * and doubling up to a maximum. A burst of frames is served at spinning speed; a quiet channel costs one
 * short wake-up per maximum pause (about 1000 per second with the default), so dozens of idle channels fit
 * on two cores. The price is latency after a quiet period: up to the maximum pause for the first frame.
 */
public final class SpinYieldParkWaitStrategy implements WaitStrategy {

    /** 2000 spins, 50 yields, then parks from 50 µs doubling to 1 ms. */
    static final SpinYieldParkWaitStrategy DEFAULT =
            new SpinYieldParkWaitStrategy(2_000, 50, TimeUnit.MICROSECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(1));

    private final int spins;
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
        if (spins < 0 || yields < 0) {
            throw new IllegalArgumentException("spins and yields must be >= 0, got " + spins + " and " + yields);
        }
        if (minParkNanos <= 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException(
                    "park durations must satisfy 0 < min <= max, got " + minParkNanos + " and " + maxParkNanos + " ns");
        }
        this.spins = spins;
        this.yieldsUntil = spins + yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
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
                + minParkNanos / 1000 + ".." + maxParkNanos / 1000 + " µs)";
    }
}
