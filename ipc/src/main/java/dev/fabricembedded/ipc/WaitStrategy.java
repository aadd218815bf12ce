package dev.fabricembedded.ipc;

import java.time.Duration;

/**
 * How a thread that polls for work (a channel end's event-loop thread polling its inbound queue and ring, a
 * sender waiting for room in a full ring) spends the time when there is none.
 *
 * <p>The choice trades latency against CPU: {@link #busySpin()} never gives up its core and answers in
 * nanoseconds, which only pays off with a core to spare per polling thread (a channel end has one, its
 * event-loop thread, so a conversation between two processes needs two); {@link #yielding()} gives its core
 * to any thread with work and suits machines with fewer cores than polling threads; {@link #spinYieldPark()}
 * (the default) spins briefly, then yields, then parks with a growing pause, so that an idle channel costs
 * almost nothing and a 2-core machine stays usable, at the price of a slower first frame after a quiet period
 * (a frame written by another process is only noticed at the next poll, so the park is bounded).
 *
 * <p>Implementations are stateless and thread-safe: the caller keeps the count of consecutive empty polls
 * and passes it in, so one instance can serve every thread of every channel.
 */
public interface WaitStrategy {

    /**
     * Waits a little after a poll found nothing.
     *
     * @param idleCount how many consecutive polls found nothing before this one; {@code 0} the first time,
     *                  reset by the caller as soon as a poll finds work
     */
    void idle(int idleCount);

    /**
     * Whether {@link #idle(int)} may park the thread for this count. A producer in the same process uses it
     * to decide whether a waiting consumer must be woken up ({@link java.util.concurrent.locks.LockSupport#unpark}),
     * which a spinning consumer never needs. Once {@code true} for a count it is {@code true} for every higher count
     * (an idle sequence only slows down); an event loop relies on it to find where the park phase starts.
     */
    boolean mayPark(int idleCount);

    /**
     * How many consecutive empty polls a waiter spends (idling per {@link #idle} for each) before it blocks, when it can
     * be woken without polling: an event-loop thread whose channel has a doorbell (another process rings it after
     * writing), or a thread that the producer of what it waits for unparks. Such a waiter cuts this strategy's yielding
     * short and never parks for a bounded time: on a machine with fewer cores than runnable threads a long yield phase
     * takes CPU from the threads doing the work (a yielding thread still gets its fair share). {@code -1} (the
     * default): never block, keep idling per {@link #idle} ({@link #busySpin()}, {@link #yielding()}: they are chosen
     * for their polling).
     */
    default int blockAfter() {
        return -1;
    }

    /** Spins on {@link Thread#onSpinWait()} forever: lowest latency, one full core per polling thread. */
    static WaitStrategy busySpin() {
        return BusySpinWaitStrategy.INSTANCE;
    }

    /**
     * Spins about a hundred times, then yields on every further empty poll, never parks: the low-latency choice
     * when there are fewer cores than polling threads (see {@link YieldingWaitStrategy}).
     */
    static WaitStrategy yielding() {
        return YieldingWaitStrategy.INSTANCE;
    }

    /**
     * The default: spins about 3 µs, yields for about 200 µs more, then parks from 50 µs doubling up to 2 ms
     * (see {@link SpinYieldParkWaitStrategy#DEFAULT}); a waiter that can be woken (a doorbell) blocks after the spins
     * and yields instead of parking ({@link #blockAfter()}).
     */
    static WaitStrategy spinYieldPark() {
        return SpinYieldParkWaitStrategy.DEFAULT;
    }

    /** A spin-then-yield-then-park strategy with explicit phases; a waiter that can be woken blocks after the spins. */
    static WaitStrategy spinYieldPark(int spins, int yields, Duration minPark, Duration maxPark) {
        return new SpinYieldParkWaitStrategy(spins, yields, minPark.toNanos(), maxPark.toNanos(), spins);
    }

    /**
     * A spin-then-yield-then-park strategy with explicit phases, and the spins after which a waiter that can be woken
     * blocks ({@link #blockAfter()}).
     */
    static WaitStrategy spinYieldPark(int spins, int yields, Duration minPark, Duration maxPark, int blockAfter) {
        return new SpinYieldParkWaitStrategy(spins, yields, minPark.toNanos(), maxPark.toNanos(), blockAfter);
    }
}
