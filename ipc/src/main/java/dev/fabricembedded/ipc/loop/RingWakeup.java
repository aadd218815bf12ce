package dev.fabricembedded.ipc.loop;

import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import java.util.concurrent.locks.LockSupport;

/**
 * The Disruptor wait strategy of an event loop's ring, used only for the signal the ring gives on every
 * publication: it unparks the event-loop thread if that thread has registered itself as about to park. The
 * loop polls the ring itself ({@link com.lmax.disruptor.EventPoller}), so nothing ever waits on a barrier.
 *
 * <p>No wake-up is lost: the event-loop thread registers (a volatile write) before it looks at the ring's
 * cursor one last time, and a publisher advances that cursor with a CAS before it looks for a registered
 * thread, so either the thread sees the new event and does not park, or the publisher sees the thread and
 * unparks it. A thread asleep on a doorbell instead is woken the same way by {@code bellWakeup} (see
 * {@link FrameEventLoop}).
 */
final class RingWakeup implements com.lmax.disruptor.WaitStrategy {

    private volatile Thread parkedWaiter;
    /** Wakes the event-loop thread if it is asleep on its doorbell instead of parked; may do nothing. */
    private final Runnable bellWakeup;

    /** @param bellWakeup run on every publication after the unpark (the loop's doorbell wake-up, or a no-op) */
    RingWakeup(Runnable bellWakeup) {
        this.bellWakeup = bellWakeup;
    }

    /** The calling thread is about to park; publishers must unpark it. */
    void register(Thread waiter) {
        parkedWaiter = waiter;
    }

    void unregister() {
        parkedWaiter = null;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier) {
        throw new UnsupportedOperationException("the event loop polls its ring; nothing waits on a barrier");
    }

    @Override
    public void signalAllWhenBlocking() {
        Thread waiter = parkedWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
        bellWakeup.run();
    }
}
