/**
 * The event loop shared by every channel implementation: a Disruptor ring fed by the transport and one
 * event-loop thread ({@code ipc-<name>-events}) that owns the {@link dev.fabricembedded.ipc.FrameHandler}'s
 * state and calls it for each frame in order, then exactly once for the close.
 *
 * <p>Thread ownership: the ring's slots are written by publishers (transport threads, closers) and read by
 * the event-loop thread; everything the handler touches belongs to the event-loop thread.
 */
package dev.fabricembedded.ipc.loop;
