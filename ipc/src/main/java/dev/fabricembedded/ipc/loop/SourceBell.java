package dev.fabricembedded.ipc.loop;

/**
 * A wake-up for the reader of a {@link FrameSource} that another process writes: the reader announces that it is
 * about to block, looks at the source once more, and blocks in {@link #await()} until someone rings; the other
 * process rings after appending a frame only while the announcement stands, and threads of this process ring with
 * {@link #ring()}. Without it, a frame written by another process can only be noticed by polling, so every waiter
 * would have to spin, yield or park for bounded times.
 *
 * <p>Only the event-loop thread ever blocks in {@link #await()} (one sleeper per bell); the announcement is a word
 * shared with the writing process. The protocol (see {@link FrameEventLoop}) tolerates stale wake-ups, never lost
 * ones: the announcer fences between announcing and its last look at the source, the writer between appending and
 * reading the announcement, so one of them sees the other. A ring that finds nobody asleep leaves a byte behind,
 * which only makes the next {@link #await()} return at once.
 */
public interface SourceBell {

    /**
     * Announces that the reader is about to block: the writing process rings after its next append. Includes a full
     * fence, so the caller's next look at the source is ordered after it.
     */
    void announceSleep();

    /** Withdraws a standing announcement (the reader polls again); a ring already on its way stays harmless. */
    void withdrawSleep();

    /** Whether the announcement stands: nobody rang (nor withdrew it) since it was made. */
    boolean sleepAnnounced();

    /**
     * Blocks until a ring arrives (from either process), and consumes the rings that are there. Returns at once if
     * one arrived before. Called by the event-loop thread only; never interrupted (the wake-up is a ring).
     */
    void await();

    /** Wakes the reader from this process, whether or not it sleeps (a stale ring costs one spurious wake-up). */
    void ring();

    /**
     * Whether the channel's saturation hint is set (see {@link dev.fabricembedded.ipc.HandlerExecutor#coresSaturated()}):
     * the idle reader then blocks at once instead of spinning and yielding first. {@code false} by default.
     */
    default boolean coresSaturated() {
        return false;
    }
}
