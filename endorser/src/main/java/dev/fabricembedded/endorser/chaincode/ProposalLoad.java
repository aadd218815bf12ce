package dev.fabricembedded.endorser.chaincode;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many proposals the endorser is processing right now, and whether that many saturate the machine's cores.
 *
 * <p>Why: an endorsement is mostly CPU on the calling thread (a signature verify and a sign) separated by about ten
 * hand-offs between threads of two processes (the peer's and the chaincode's event loops, the chaincode's worker, the
 * executing thread). A thread waiting for such a hand-off either polls (spins, yields) or sleeps and is woken. With a
 * core to spare, polling answers microseconds sooner than a wake-up; with as many proposals in flight as there are
 * cores, every core already has a thread with work, and each poll only takes CPU from it (a yielding thread still gets
 * its fair share of a saturated run queue). The endorser knows which case it is in: each proposal is counted from
 * {@link #enter()} to {@link #exit()}, and {@link #saturated()} says whether the count reached the threshold (the
 * number of cores by default). The chaincode support publishes that to each chaincode's channel as it sends
 * INIT/TRANSACTION ({@link dev.fabricembedded.ipc.HandlerExecutor#coresSaturated(boolean)}), and its waiters consult it
 * (see ARCHITECTURE.md, endorser data path).
 *
 * <p>Thread-safe: any thread enters and exits; one atomic counter.
 */
public final class ProposalLoad {

    private final int threshold;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param threshold proposals in flight from which the cores count as saturated; {@code 0} never (waiters always
     *                  poll per their wait strategy first, the behaviour before this hint)
     * @throws IllegalArgumentException if negative
     */
    public ProposalLoad(final int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("the saturation threshold must be >= 0 proposals, got " + threshold);
        }
        this.threshold = threshold;
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
