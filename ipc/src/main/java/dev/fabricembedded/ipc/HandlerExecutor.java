package dev.fabricembedded.ipc;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks on a channel end's event-loop thread, the thread that calls its {@link FrameHandler} and so owns
 * the handler's state. This is how slow work done elsewhere hands its result back to the state machine that
 * lives in the handler: a ledger worker computes a {@code GetState} answer, then
 * {@code executor.execute(() -> fsm.answer(request, value))}, and the state machine stays single-threaded
 * without a lock. Every {@link FrameChannel} of this module implements it; {@link #of(FrameChannel)} finds it.
 *
 * <p>Guarantees, and why they are the useful ones for a handler's state machine:
 * <ul>
 *   <li>A task runs on the event-loop thread, never at the same time as {@link FrameHandler#onFrame},
 *       {@link FrameHandler#onClose} or another task, so it may touch the handler's state without locks.</li>
 *   <li>Tasks submitted by one thread run in the order they were submitted.</li>
 *   <li>A task submitted on the event-loop thread itself (from {@code onFrame} or another task) runs as soon as
 *       the current callback returns, before the next frame or any other task: a handler can defer work to
 *       itself without reordering it behind the traffic.</li>
 *   <li>A task submitted from another thread runs after the frame being handled when it was submitted, and
 *       before every frame the other end sends after {@code execute} returned. So a reply that the other end
 *       can only send once it has seen the task's effect (typically an answer that the task sends) is always
 *       handled after the task. Frames already on their way when {@code execute} is called may be handled
 *       before or after the task.</li>
 *   <li>No task runs after {@code onClose}. Once the channel is closed or closing, {@code execute} refuses the
 *       task. Tasks accepted before an orderly close by the other end ({@code REMOTE_CLOSE},
 *       {@code REMOTE_PROCESS_EXITED}) run before {@code onClose}; tasks still waiting when the channel closes
 *       at once (a local close, a failing handler or task, a corrupt frame, a keepalive timeout) are dropped, as
 *       the frames not yet delivered are. A task accepted at the very moment the channel closes may be
 *       dropped too: {@code onClose} is where the owner fails whatever it was still waiting for.</li>
 * </ul>
 *
 * <p>A task that throws closes the channel with {@link CloseReason.Kind#HANDLER_FAILED}, as a failing handler
 * does. Submitting from another thread waits while the end's mailbox (its Disruptor ring) is full; nothing is
 * dropped while the channel is open.
 */
public interface HandlerExecutor extends Executor {

    /**
     * Runs {@code task} on the event-loop thread, with the ordering described above.
     *
     * @throws RejectedExecutionException if the channel is closed or closing; its cause is a
     *         {@link ChannelClosedException} carrying the {@link CloseReason}
     */
    @Override
    void execute(Runnable task);

    /** {@code true} when called on the event-loop thread (in a handler callback or a task). */
    boolean inHandlerThread();

    /**
     * Makes the event-loop thread poll at full speed again, because a frame it must read is on its way: the answer to
     * a request nobody reads through an {@link InboundLease}, the next request after a lease was given back (a
     * returned lease does not wake the loop), the next message after a quiet period. An idle loop may be parked for
     * up to its wait strategy's longest park, which a frame written by another process cannot cut short; this
     * publishes an empty task, whose publication unparks the loop, and a loop that ran something starts its idle
     * sequence again (spin, then yield) before it parks. Costs one ring publication, and a system call only when the
     * loop was parked. Does nothing on the event-loop thread itself (it is polling), nor once the channel is closed
     * or closing (whoever waits learns it from the handler's {@code onClose}).
     */
    default void hurry() {
        if (inHandlerThread()) {
            return;
        }
        try {
            execute(() -> { });
        } catch (RejectedExecutionException closing) {
            // nothing left to read
        }
    }

    /**
     * {@code true} when the event-loop thread, idle, is woken by a frame the other side writes (a Chronicle channel
     * with doorbells) instead of noticing it at its next poll. A thread waiting for an answer may then hand reading
     * back to the loop and block (park until the handler hands the answer over) after a short spin, instead of
     * polling or yielding; {@link #hurry()} is not needed. {@code false} by default.
     */
    default boolean wakesOnInput() {
        return false;
    }

    /**
     * The channel's saturation hint: {@code true} while the machine's cores are all busy with work (set by whoever
     * knows, in practice the peer's endorser, which counts the proposals in flight, through
     * {@link #coresSaturated(boolean)}). Why: an idle event-loop thread polls (spins, yields) before it sleeps on its
     * doorbell, which answers the next frame microseconds sooner than a wake-up, but only pays with a core to spare;
     * when every core has a thread with work, each poll takes CPU from that work (a yielding thread still gets its fair
     * share of a saturated run queue). So while the hint is set, both ends' idle event-loop threads skip their wait
     * strategy's spin and yield phase and sleep on their doorbells at once; while it is clear they poll per their
     * strategy. Threads waiting for an answer are not affected: one that holds the {@link InboundLease} reads the
     * answer itself, and blocking it would add two wake-ups per answer (measured: more CPU per endorsement, not less).
     * Both ends of a channel between processes see the same hint (a word they both map). A stale value costs a moment
     * of latency or CPU, never a lost frame. {@code false} for a channel whose event loop does not sleep on a doorbell
     * (no doorbells, in-JVM).
     */
    default boolean coresSaturated() {
        return false;
    }

    /**
     * Sets the saturation hint that both ends of this channel read ({@link #coresSaturated()}); cheap when unchanged
     * (one read of the word). Does nothing on a channel without doorbells.
     */
    default void coresSaturated(boolean saturated) {
        // nobody blocks: nothing to tell
    }

    /**
     * Takes the {@link InboundLease} for the calling thread: until it is closed, this thread reads the inbound frames
     * itself, keeps those its {@link FrameClaim} accepts, and the event-loop thread delivers the others. Meant for a
     * thread that sent a request and waits for the answer (see {@link InboundLease} for why and for the holder's
     * duties). Never waits for a holder to finish.
     *
     * @return the lease, or {@code null} when another thread (or this one) holds it, when the channel is closed or
     *         closing, when called on the event-loop thread, or when the transport has no inbound queue to share (the
     *         in-JVM channel always returns {@code null}); callers then wait the ordinary way, for the event-loop
     *         thread to hand the answer over
     */
    InboundLease tryLeaseInbound();

    /**
     * The executor of a channel's event-loop thread.
     *
     * @throws IllegalArgumentException if {@code channel} is not one of this module's channels
     */
    static HandlerExecutor of(FrameChannel channel) {
        Objects.requireNonNull(channel, "channel");
        if (channel instanceof HandlerExecutor executor) {
            return executor;
        }
        throw new IllegalArgumentException("channel " + channel.name() + " (" + channel.getClass().getName()
                + ") has no handler executor");
    }
}
