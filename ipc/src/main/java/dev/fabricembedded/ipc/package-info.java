/**
 * The transport contract between a peer and its chaincodes: a duplex, ordered, lossless
 * {@link dev.fabricembedded.ipc.FrameChannel} of opaque frames, whose inbound frames are delivered to a
 * {@link dev.fabricembedded.ipc.FrameHandler} on one event-loop thread, the
 * {@link dev.fabricembedded.ipc.HandlerExecutor} that hands work back to that thread, the
 * {@link dev.fabricembedded.ipc.InboundLease} with which a thread waiting for an answer reads the inbound frames
 * itself for a while (keeping those its {@link dev.fabricembedded.ipc.FrameClaim} accepts), and the
 * {@link dev.fabricembedded.ipc.WaitStrategy} choices shared by every implementation.
 *
 * <p>Implementations: {@code chronicle} (two memory-mapped Chronicle Queues between processes) and
 * {@code injvm} (in-process). Nothing in this module knows about Fabric messages.
 *
 * <p>Thread ownership: a handler's state belongs to its channel end's event-loop thread; the inbound queue is read
 * by that thread, or by the one thread holding the end's inbound lease; the types here are immutable or stateless.
 */
package dev.fabricembedded.ipc;
