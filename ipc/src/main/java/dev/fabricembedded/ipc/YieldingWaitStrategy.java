package dev.fabricembedded.ipc;

/**
 * Spins briefly, then calls {@link Thread#yield()} on every further empty poll and never parks. On a machine
 * with fewer cores than polling threads this is the low-latency choice: a waiting thread hands its core to
 * whichever thread has work at once, instead of holding it for a whole scheduler slice as a pure spin does.
 * It still costs a core's worth of system calls per idle thread, so it suits benchmarks and latency-critical
 * deployments, not a peer with dozens of quiet chaincodes.
 */
public final class YieldingWaitStrategy implements WaitStrategy {

    static final YieldingWaitStrategy INSTANCE = new YieldingWaitStrategy(100);

    private final int spins;

    /** @param spins empty polls answered by a spin-wait hint before yielding starts */
    public YieldingWaitStrategy(int spins) {
        if (spins < 0) {
            throw new IllegalArgumentException("spins must be >= 0, got " + spins);
        }
        this.spins = spins;
    }

    @Override
    public void idle(int idleCount) {
        if (idleCount < spins) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    @Override
    public boolean mayPark(int idleCount) {
        return false;
    }

    @Override
    public String toString() {
        return "yielding(spins=" + spins + ")";
    }
}
