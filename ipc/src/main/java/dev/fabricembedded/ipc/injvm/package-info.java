/**
 * The in-JVM channel: two {@link dev.fabricembedded.ipc.FrameChannel} ends connected through each other's
 * Disruptor rings, for in-process chaincodes and tests. Created by
 * {@link dev.fabricembedded.ipc.injvm.InJvmChannels}.
 *
 * <p>Thread ownership: each end's handler state belongs to that end's event-loop thread
 * ({@code ipc-<name>-a-events} / {@code -b-events}); {@code send}, {@code execute} and {@code close} may be called from any
 * thread.
 */
package dev.fabricembedded.ipc.injvm;
