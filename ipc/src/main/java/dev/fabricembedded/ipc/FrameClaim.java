package dev.fabricembedded.ipc;

/**
 * Decides, on the thread that holds an {@link InboundLease}, whether that thread takes an inbound frame for itself
 * (typically: "is this the answer I am waiting for?") or lets it go on to the channel's {@link FrameHandler}.
 *
 * <p>It runs on the reading thread for every data frame that thread reads, between two reads of the queue, so it
 * must be fast and must not block. It must not throw either: a claim that throws has its frame handed to the
 * handler (nothing is lost) and the exception propagates out of {@link InboundLease#poll}. It must not keep or modify
 * the array unless it returns {@code true}: an unclaimed frame is delivered to the handler as it is.
 */
@FunctionalInterface
public interface FrameClaim {

    /** {@code true} to take {@code frame} (it is then returned by {@link InboundLease#poll} and never handled). */
    boolean claims(byte[] frame);
}
