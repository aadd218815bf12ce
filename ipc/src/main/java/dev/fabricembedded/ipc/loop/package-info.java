/**
 * The event loop shared by every channel implementation: one event-loop thread ({@code ipc-<name>-events})
 * per channel end that owns the {@link dev.fabricembedded.ipc.FrameHandler}'s state and, in one duty cycle,
 * reads frames from an optional {@link dev.fabricembedded.ipc.loop.FrameSource} (the Chronicle channel's
 * inbound queue) and drains a Disruptor ring, the end's mailbox for frames published by other threads
 * (in-JVM channels), tasks and close markers; it calls the handler for each frame in order, then exactly once
 * for the close.
 *
 * <p>Thread ownership: the ring's slots are written by publishers (senders, task submitters, closers, a lease
 * holder forwarding frames it did not claim) and read by the event-loop thread; everything the handler touches
 * belongs to the event-loop thread; the source belongs to whoever holds its owner word: the event-loop thread for
 * one read at a time, or the thread holding an {@link dev.fabricembedded.ipc.InboundLease}. A source's
 * {@link dev.fabricembedded.ipc.loop.SourceBell} is blocked on by the event-loop thread only; any thread may ring it.
 */
package dev.fabricembedded.ipc.loop;
