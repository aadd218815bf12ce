package dev.fabricembedded.shim.impl;

import dev.fabricembedded.ipc.WaitStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * The hand-over of one peer answer to the chaincode thread that sent the request: from the event-loop thread, or
 * from the chaincode thread itself when it read the answer through the channel's inbound lease.
 *
 * <p>Exactly one outcome is accepted (a message or a failure), by compare-and-set, so a stray second answer is
 * detected instead of overwriting the first. The waiter idles with an ipc {@link WaitStrategy} (spin, yield,
 * park); the completer unparks it only if it announced that it may park, so the hot path is a few volatile
 * accesses and no system call.
 */
final class PendingResponse {

    private static final VarHandle OUTCOME;
    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(PendingResponse.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread waiter;
    /** A {@link ChaincodeMessage} or a {@link Failure}; written once. */
    @SuppressWarnings("unused")
    private volatile Object outcome;
    private volatile boolean parked;

    PendingResponse(final Thread waiter) {
        this.waiter = waiter;
    }

    /** Completes with the peer's answer; {@code false} if an outcome was already set. */
    boolean complete(final ChaincodeMessage message) {
        return settle(message);
    }

    /** Completes with a failure (channel closed); {@code false} if an outcome was already set. */
    boolean fail(final String reason) {
        return settle(new Failure(reason));
    }

    /** {@code true} once an outcome is set (then {@link #await} returns or throws at once). */
    boolean isSettled() {
        return outcome != null;
    }

    /** A request that will never be answered, and why. */
    private record Failure(String reason) {
    }

    private boolean settle(final Object value) {
        if (!OUTCOME.compareAndSet(this, null, value)) {
            return false;
        }
        if (parked) {
            LockSupport.unpark(waiter);
        }
        return true;
    }

    /**
     * Waits for the outcome, idling with {@code strategy} between checks. Before an idle step that may park, the
     * waiter announces it so that {@link #complete} unparks it; spinning steps cost the completer nothing. With
     * {@code blockAfter >= 0} it idles that many times and then parks until the completer unparks it, cutting the
     * strategy's yields short (for a completer that is woken without polling: an event loop on a doorbell).
     *
     * @param blockAfter idle steps before parking without a bound, or {@code -1} to follow {@code strategy} throughout
     * @return the peer's message
     * @throws RequestFailedException when {@link #fail} was called instead
     * @throws InterruptedException   if the waiting thread is interrupted
     */
    ChaincodeMessage await(final WaitStrategy strategy, final int blockAfter)
            throws RequestFailedException, InterruptedException {
        return await(strategy, blockAfter, Long.MAX_VALUE);
    }

    /**
     * {@link #await(WaitStrategy, int)}, except that once it blocks it parks at most {@code blockNanos} and then
     * returns {@code null} if the outcome is still unset, so that the caller can look for the answer itself (the
     * event loop that should hand it over may be busy in a long callback).
     *
     * @return the peer's message, or {@code null} if the bounded park ended without an outcome
     */
    ChaincodeMessage await(final WaitStrategy strategy, final int blockAfter, final long blockNanos)
            throws RequestFailedException, InterruptedException {
        Object value;
        int idle = 0;
        while ((value = outcome) == null) {
            final boolean block = blockAfter >= 0 && idle >= blockAfter;
            if (block || strategy.mayPark(idle)) {
                parked = true;
                if (outcome == null) {
                    if (!block) {
                        strategy.idle(idle);
                    } else if (blockNanos == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, blockNanos);
                    }
                }
                parked = false;
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (block && blockNanos != Long.MAX_VALUE && (value = outcome) == null) {
                    return null;
                }
            } else {
                strategy.idle(idle);
            }
            if (idle < Integer.MAX_VALUE) {
                idle++;
            }
        }
        if (value instanceof Failure failure) {
            throw new RequestFailedException(failure.reason());
        }
        return (ChaincodeMessage) value;
    }

    /** Thrown (on the waiting thread) for a request that will never be answered. */
    static final class RequestFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        RequestFailedException(final String reason) {
            super(reason);
        }
    }
}
