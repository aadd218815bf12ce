package dev.fabricembedded.endorser.chaincode;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many proposals the endorser is processing right now, and whether that many saturate the machine's cores.
 *
 * <p>Why: an endorsement is mostly CPU on the calling thread (a signature verify and a sign) separated by about ten
 * hand-offs between threads of two processes; the channel's event-loop threads, idle between those hand-offs, poll
 * (spin, yield) before they sleep on their doorbells. With a core to spare, polling answers the next frame microseconds
 * sooner than a wake-up; with as many proposals in flight as there are cores, every core already has a thread with
 * work, and each poll only takes CPU from it (a yielding thread still gets its fair share of a saturated run queue).
 * The endorser knows which case it is in: each proposal is counted from {@link #enter()} to {@link #exit()}, and
 * {@link #saturated()} says whether the count reached the threshold (the number of cores by default). The chaincode
 * support publishes that to each chaincode's channel as it sends INIT/TRANSACTION
 * ({@link dev.fabricembedded.ipc.HandlerExecutor#coresSaturated(boolean)}), and both processes' event loops then sleep
 * on their doorbells as soon as they are idle; on a lane ({@link dev.fabricembedded.ipc.chronicle.Lane#coresSaturated(boolean)})
 * both threads of the conversation then sleep at once whenever they wait. The threads waiting for an answer keep their wait strategy: the one
 * holding the channel's inbound lease reads its answer itself, and blocking the waiters too cost more CPU per
 * endorsement than it saved (session 5, PERFORMANCE.md).
 *
 * <p>Thread-safe: any thread enters and exits; one atomic counter.
 */
public final class ProposalLoad {

    private final int threshold;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param threshold proposals in flight from which the cores count as saturated; {@code 0} never (the event loops
     *                  always poll per their wait strategy first, the behaviour before this hint)
     * @throws IllegalArgumentException if negative
     */
    public ProposalLoad(final int threshold) {
        this.threshold = checkedThreshold(threshold);
    }

    /** {@code threshold} if it is a valid saturation threshold (at least 0 proposals). */
    static int checkedThreshold(final int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("the saturation threshold must be >= 0 proposals, got " + threshold);
        }
        return threshold;
    }

    /** Counts a proposal in; pair with {@link #exit()} in a {@code finally}. */
    public void enter() {
        inFlight.incrementAndGet();
    }

    /** Counts a proposal out. */
    public void exit() {
        inFlight.decrementAndGet();
    }

    /** Proposals between {@link #enter()} and {@link #exit()} now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The threshold given at construction ({@code 0}: never saturated). */
    public int threshold() {
        return threshold;
    }

    /** Whether at least {@link #threshold()} proposals are in flight (never with a threshold of {@code 0}). */
    public boolean saturated() {
        return threshold > 0 && inFlight.get() >= threshold;
    }

    @Override
    public String toString() {
        return "ProposalLoad[inFlight=" + inFlight.get() + ", threshold=" + threshold + "]";
    }
}
