package dev.fabricembedded.shim.impl;

import java.time.Duration;

/**
 * How a chaincode thread waits for the peer's answer to a stub request: spin, then yield, then park until the
 * event-loop thread hands the answer over.
 *
 * <p>Spinning first is what makes a {@code getState} cost a few microseconds instead of the tens of microseconds
 * a park/unpark round trip costs; parking after a bound keeps a slow peer (or a 2-core machine) from losing a core
 * to a waiting chaincode.
 *
 * @param spinNanos  how long to busy-spin ({@link Thread#onSpinWait()}) before yielding
 * @param yieldNanos how long from the start of the wait to keep yielding before parking
 */
public record ResponseWaitPolicy(long spinNanos, long yieldNanos) {

    /** Spin 20 µs, yield until 200 µs, then park. */
    public static final ResponseWaitPolicy DEFAULT = new ResponseWaitPolicy(20_000, 200_000);

    public ResponseWaitPolicy {
        if (spinNanos < 0 || yieldNanos < spinNanos) {
            throw new IllegalArgumentException(
                    "need 0 <= spinNanos <= yieldNanos, got spinNanos=" + spinNanos + ", yieldNanos=" + yieldNanos);
        }
    }

    /** A policy from durations. */
    public static ResponseWaitPolicy of(final Duration spin, final Duration yieldUntil) {
        return new ResponseWaitPolicy(spin.toNanos(), yieldUntil.toNanos());
    }
}
