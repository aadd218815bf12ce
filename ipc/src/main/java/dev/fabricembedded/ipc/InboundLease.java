package dev.fabricembedded.ipc;

/**
 * The exclusive right, for the thread that took it ({@link HandlerExecutor#tryLeaseInbound()}), to read a channel
 * end's inbound frames itself instead of its event-loop thread.
 *
 * <p>Why: a thread that sent a request and waits for the answer would otherwise wait for the event-loop thread to
 * read the answer and hand it over, so a round trip between two processes would cross three polling threads (the
 * waiter, the other process's event loop, this process's event loop), too many for a machine with two cores. Reading
 * the answer itself, the waiter makes it two, the shape of a handler-driven ping-pong.
 *
 * <p>Guarantees, while the lease is held:
 * <ul>
 *   <li>Exactly one thread reads the inbound queue: the holder, in {@link #poll}. The event-loop thread does not
 *       read it; it keeps running tasks and delivering the frames the holder forwards, and otherwise parks until a
 *       forwarded frame, a task or a close wakes it, or a pause of at most about a millisecond ends.</li>
 *   <li>Frames the holder does not claim reach the handler on the event-loop thread, in queue order, after every
 *       frame the event-loop thread read before the lease was taken and before every frame it reads after the
 *       lease is returned. Tasks keep the ordering {@link HandlerExecutor} promises.</li>
 *   <li>Control traffic read by the holder is processed as the event-loop thread would: keepalives count as proof
 *       of life for the liveness check, the other side's close ends the channel in order (after the frames read
 *       before it), a corrupt frame closes the channel with {@link CloseReason.Kind#CORRUPT_FRAME}.</li>
 *   <li>A channel that closes does not release its inbound queue until the lease is returned (or a bounded wait of
 *       a few seconds has passed, which is logged): the holder's next {@link #poll} throws
 *       {@link ChannelClosedException}, and the holder then closes the lease. {@link FrameHandler#onClose} still
 *       runs exactly once, on the event-loop thread.</li>
 * </ul>
 *
 * <p>Returning the lease is quiet: {@link #close()} does not wake the event-loop thread. That thread notices the
 * return when its current pause ends (at most about a millisecond later) and then resumes reading in the park phase
 * of the channel's {@link WaitStrategy} (with {@link WaitStrategy#spinYieldPark()}: one look at the queue per park,
 * 50 µs doubling to 2 ms; a strategy that never parks resumes as it always runs). So a frame that nobody leases for
 * may wait up to a millisecond plus the strategy's longest park after a return before it is read. Why: a lease is
 * typically taken for every request, and a woken loop would spin and yield for a few hundred microseconds each time,
 * a third polling thread competing on a small machine with the two that carry the conversation. A thread that needs
 * the loop promptly after the return (it expects a frame nobody will lease for) hurries it with a task:
 * {@link HandlerExecutor#execute} (even an empty one) unparks the loop, which then polls at full speed again, as it
 * does after any work. Frames the holder forwarded are published into the loop's ring, which wakes it as well. With
 * doorbells ({@link HandlerExecutor#wakesOnInput()}) the loop sleeps on its bell instead of parking, and returning the
 * lease to a sleeping loop makes it the reader again without waking it: the other side's next frame rings it.
 *
 * <p>The holder's duties: poll continually while it holds the lease (the liveness check counts a held lease as
 * "waiting for input", so a holder that stops polling makes the other side look silent), idle between polls only
 * briefly (a frame written by another process cannot wake a parked reader: it is noticed at the next poll), and
 * close the lease as soon as it has what it waited for, on every path (try-with-resources).
 */
public interface InboundLease extends AutoCloseable {

    /**
     * Reads the next inbound data frame without waiting. If {@code claim} accepts it, it is returned and never
     * reaches the handler. Otherwise it is handed to the event-loop thread, which delivers it to the handler in order
     * (after every frame handed over or read before it), and {@code null} is returned; {@code null} also when
     * nothing is there (control frames read on the way are processed and not returned). Only the thread that took
     * the lease may call it.
     *
     * @throws ChannelClosedException once the channel is closed or closing (the lease is then useless: close it)
     * @throws IllegalStateException  if called by another thread than the holder, or after {@link #close()}
     */
    byte[] poll(FrameClaim claim);

    /**
     * Gives reading back to the event-loop thread, without waking it (see the class comment: it takes reading up
     * within about a millisecond, lazily; {@link HandlerExecutor#execute} hurries it). A closing channel is woken, so
     * that it releases the queue at once. Idempotent.
     */
    @Override
    void close();
}
