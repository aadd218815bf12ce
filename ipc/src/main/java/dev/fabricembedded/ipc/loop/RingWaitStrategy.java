package dev.fabricembedded.ipc.loop;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import dev.fabricembedded.ipc.WaitStrategy;
import java.util.concurrent.locks.LockSupport;

/**
 * Adapts a channel's {@link WaitStrategy} to the Disruptor's, for the event-loop thread waiting on its ring.
 *
 * <p>Unlike a queue tailer, the ring's consumer lives in the same process as its producers, so when the
 * strategy reaches its parking phase the consumer registers itself and parks until a publisher unparks it
 * (or {@value #SIGNALLED_PARK_MILLIS} ms pass): the first frame after a quiet period costs a wake-up, not a
 * park of the strategy, and an idle event-loop thread costs nothing. The waiter is registered before the
 * cursor is re-checked, and publishers claim with a CAS before they look for a waiter, so a wake-up is not
 * lost; the bounded park is a second line of defence, never a hang.
 */
final class RingWaitStrategy implements com.lmax.disruptor.WaitStrategy {

    static final long SIGNALLED_PARK_MILLIS = 50;
    private static final long SIGNALLED_PARK_NANOS = SIGNALLED_PARK_MILLIS * 1_000_000L;

    private final WaitStrategy strategy;
    private volatile Thread parkedWaiter;

    RingWaitStrategy(WaitStrategy strategy) {
        this.strategy = strategy;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException {
        long available;
        int idleCount = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (strategy.mayPark(idleCount)) {
                parkedWaiter = Thread.currentThread();
                if (dependentSequence.get() < sequence) {
                    barrier.checkAlert();
                    LockSupport.parkNanos(this, SIGNALLED_PARK_NANOS);
                }
                parkedWaiter = null;
            } else {
                strategy.idle(idleCount);
            }
            if (idleCount < Integer.MAX_VALUE) {
                idleCount++;
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        Thread waiter = parkedWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }
}
