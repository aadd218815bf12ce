package dev.fabricembedded.ipc;

/**
 * Never leaves the core: each idle step is one {@link Thread#onSpinWait()}. Gives the lowest latency when
 * every polling thread has a core of its own; on an oversubscribed machine the spinning threads steal time
 * from the ones doing the work, so prefer {@link SpinYieldParkWaitStrategy} there.
 */
public final class BusySpinWaitStrategy implements WaitStrategy {

    static final BusySpinWaitStrategy INSTANCE = new BusySpinWaitStrategy();

    private BusySpinWaitStrategy() {
    }

    @Override
    public void idle(int idleCount) {
        Thread.onSpinWait();
    }

    @Override
    public boolean mayPark(int idleCount) {
        return false;
    }

    @Override
    public String toString() {
        return "busySpin";
    }
}
