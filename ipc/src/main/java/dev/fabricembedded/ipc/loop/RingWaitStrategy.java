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
 * strategy reaches its parking phase the consumer registers itself and a publisher unparks it: the first
 * frame after a quiet period then costs a wake-up, not a whole park. A wake-up lost to a race costs at most
 * one park of the strategy (they are bounded), never a hang.
 */
final class RingWaitStrategy implements com.lmax.disruptor.WaitStrategy {

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
                    strategy.idle(idleCount);
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
