package dev.fabricembedded.orderer;

import java.util.Optional;

/**
 * A running delivery of a channel's blocks to a {@link BlockListener}.
 *
 * <p>Thread-safe. {@link #close()} stops delivery after the block (or the {@link BlockBatchListener} batch) being
 * delivered, if any, and waits for the delivery thread to end; called from the listener itself, it returns at once and
 * the thread ends after the call.
 */
public interface Subscription extends AutoCloseable {

    /** The channel delivered. */
    String channelId();

    /** The number of the next block to be delivered (the last delivered plus one). */
    long nextBlockNumber();

    /** {@code true} until closed, failed, or the service closed. */
    boolean isActive();

    /** What ended the subscription if the listener threw or a block could not be read. */
    Optional<Throwable> failure();

    /** Stops delivery and waits for the delivery thread. Idempotent. */
    @Override
    void close();
}
